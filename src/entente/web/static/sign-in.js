/* Entente: the sign-in page. Sends the reviewer's token once, as JSON, to POST /api/session,
 * which answers with an HttpOnly session cookie (the token is not kept by the page). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("sign-in");
    if (!form) { return; }
    var error = document.getElementById("sign-in-error");
    form.addEventListener("submit", function (ev) {
      ev.preventDefault();
      var token = form.querySelector('[name="token"]');
      error.hidden = true;
      fetch("/api/session", {
        method: "POST", credentials: "same-origin",
        headers: { "Content-Type": "application/json", "Accept": "application/json" },
        body: JSON.stringify({ token: token.value.trim() })
      }).then(function (response) {
        return response.json().catch(function () { return {}; }).then(function (data) {
          if (!response.ok) {
            throw new Error((data.error && data.error.message) || "sign-in failed (" + response.status + ")");
          }
          token.value = "";
          window.location.assign(form.getAttribute("data-next") || "/review");
        });
      }).catch(function (err) {
        error.textContent = err.message;
        error.hidden = false;
      });
    });
  });
})();
