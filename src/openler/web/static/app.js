// Moves focus to the error summary when a form comes back with errors. The
// summary also carries `autofocus`, so this only helps older browsers.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) { summary.focus(); }
})();

// Progress pages: without JavaScript a "Refresh now" link shows the latest counts.
// With it, the bar and the status text (a polite live region) update in place,
// and the page reloads once when the work has finished, to show the outcome.
(function () {
  "use strict";
  var panel = document.querySelector("[data-progress-url]");
  if (!panel || !window.fetch) { return; }
  var bar = panel.querySelector("progress");
  var text = panel.querySelector("[role=status]");
  var status = document.getElementById("job-status");
  function poll() {
    fetch(panel.getAttribute("data-progress-url"), { credentials: "same-origin" })
      .then(function (r) { return r.ok ? r.json() : null; })
      .then(function (data) {
        if (!data) { return; }
        if (bar) { bar.max = data.total; bar.value = data.done; bar.textContent = data.done + " / " + data.total; }
        if (text && text.textContent !== data.progress_text) { text.textContent = data.progress_text; }
        if (status) { status.textContent = data.status_text; }
        if (data.active) { window.setTimeout(poll, 2000); } else { window.location.reload(); }
      })
      .catch(function () { window.setTimeout(poll, 5000); });
  }
  window.setTimeout(poll, 2000);
})();
