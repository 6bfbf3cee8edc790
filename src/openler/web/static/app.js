// Moves focus to the error summary when a form comes back with errors. The
// summary also carries `autofocus`, so this only helps older browsers.
(function () {
  "use strict";
  var summary = document.querySelector("[data-error-summary]");
  if (summary && document.activeElement !== summary) { summary.focus(); }
})();
