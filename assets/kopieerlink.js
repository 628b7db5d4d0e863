/* Proeftuinmonitor: "Kopieer link" (the shell, dashboard/app.py). Copies the address of the
 * current view, filters included (they live in the URL), and says so in a role="status" region
 * that a screen reader announces. The clipboard API needs a secure context (https or
 * localhost); elsewhere a selected text field and execCommand('copy') do the same. A file in
 * assets/, not an inline script, so the Content-Security-Policy needs no 'unsafe-inline'. */
(function () {
  "use strict";

  var DONE = "Link naar deze weergave gekopieerd";
  var FAILED = "Kopiëren lukte niet; kopieer de link uit de adresbalk";
  var timer = null;

  function say(text) {
    var status = document.getElementById("kopieer-link-status");
    if (!status) {
      return;
    }
    status.textContent = text;
    window.clearTimeout(timer);
    timer = window.setTimeout(function () { status.textContent = ""; }, 6000);
  }

  function fallback(text) {
    var field = document.createElement("textarea");
    field.value = text;
    field.setAttribute("readonly", "");
    field.style.position = "fixed";
    field.style.opacity = "0";
    document.body.appendChild(field);
    field.select();
    var ok = false;
    try {
      ok = document.execCommand("copy");
    } catch (e) {
      ok = false;
    }
    document.body.removeChild(field);
    return ok;
  }

  document.addEventListener("click", function (event) {
    var button = event.target.closest && event.target.closest("#kopieer-link");
    if (!button) {
      return;
    }
    var url = window.location.href;
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(url).then(function () { say(DONE); },
        function () { say(fallback(url) ? DONE : FAILED); });
    } else {
      say(fallback(url) ? DONE : FAILED);
    }
  });
})();
