// Passkeys (WebAuthn): progressive enhancement only. Without JavaScript or WebAuthn
// the passkey controls stay hidden and password sign-in works as before.
(function () {
  "use strict";
  if (!window.PublicKeyCredential || !navigator.credentials) { return; }
  var meta = document.querySelector('meta[name="csrf-token"]');
  var csrf = meta ? meta.getAttribute("content") : "";

  function b64uToBuf(value) {
    var b64 = value.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    var bin = atob(b64), out = new Uint8Array(bin.length);
    for (var i = 0; i < bin.length; i++) { out[i] = bin.charCodeAt(i); }
    return out.buffer;
  }
  function bufToB64u(buffer) {
    var bytes = new Uint8Array(buffer), bin = "";
    for (var i = 0; i < bytes.length; i++) { bin += String.fromCharCode(bytes[i]); }
    return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, body) {
    return fetch(url, {
      method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json", "X-CSRF-Token": csrf},
      body: JSON.stringify(body || {})
    }).then(function (response) {
      return response.json().then(function (data) {
        if (!response.ok) { throw new Error(data.error || response.statusText); }
        return data;
      });
    });
  }
  function credentialJson(cred) {
    var r = cred.response, json = {
      id: cred.id, rawId: bufToB64u(cred.rawId), type: cred.type,
      clientExtensionResults: cred.getClientExtensionResults ? cred.getClientExtensionResults() : {},
      response: {clientDataJSON: bufToB64u(r.clientDataJSON)}
    };
    if (r.attestationObject) {
      json.response.attestationObject = bufToB64u(r.attestationObject);
      if (r.getTransports) { json.response.transports = r.getTransports(); }
    } else {
      json.response.authenticatorData = bufToB64u(r.authenticatorData);
      json.response.signature = bufToB64u(r.signature);
      if (r.userHandle) { json.response.userHandle = bufToB64u(r.userHandle); }
    }
    return json;
  }
  function showError(box, error) {
    var p = box.querySelector("[data-passkey-error]");
    p.textContent = error && error.message ? error.message : String(error);
  }

  var signin = document.querySelector("[data-passkey-signin]");
  if (signin) {
    signin.hidden = false;
    signin.querySelector("[data-passkey-signin-button]").addEventListener("click", function () {
      post("/sign-in/passkey/options").then(function (options) {
        options.challenge = b64uToBuf(options.challenge);
        (options.allowCredentials || []).forEach(function (c) { c.id = b64uToBuf(c.id); });
        return navigator.credentials.get({publicKey: options});
      }).then(function (cred) {
        var next = encodeURIComponent(signin.getAttribute("data-next") || "/");
        return post("/sign-in/passkey?next=" + next, credentialJson(cred));
      }).then(function (data) { window.location.assign(data.next); })
        .catch(function (error) { showError(signin, error); });
    });
  }

  var register = document.querySelector("[data-passkey-register]");
  if (register) {
    register.hidden = false;
    register.querySelector("[data-passkey-register-button]").addEventListener("click", function () {
      var label = register.querySelector("input[name=label]").value;
      post("/account/passkeys/options").then(function (options) {
        options.challenge = b64uToBuf(options.challenge);
        options.user.id = b64uToBuf(options.user.id);
        (options.excludeCredentials || []).forEach(function (c) { c.id = b64uToBuf(c.id); });
        return navigator.credentials.create({publicKey: options});
      }).then(function (cred) {
        return post("/account/passkeys?label=" + encodeURIComponent(label), credentialJson(cred));
      }).then(function (data) { window.location.assign(data.next); })
        .catch(function (error) { showError(register, error); });
    });
  }
})();
