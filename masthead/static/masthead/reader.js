// Fills the per-reader parts of a shared, cached page: CSRF tokens for forms and the
// signed-in state. Pages work without it (see masthead.delivery.views.csrf_failure).
(function () {
  "use strict";
  var forms = document.querySelectorAll("form[data-csrf]");
  var stateSlots = document.querySelectorAll("[data-signed-in], [data-signed-out]");
  if (!forms.length && !stateSlots.length) return;
  fetch("/reader-state/", { credentials: "same-origin", headers: { Accept: "application/json" } })
    .then(function (r) { return r.ok ? r.json() : null; })
    .then(function (state) {
      if (!state) return;
      forms.forEach(function (form) {
        var input = form.querySelector('input[name="csrfmiddlewaretoken"]');
        if (!input) {
          input = document.createElement("input");
          input.type = "hidden";
          input.name = "csrfmiddlewaretoken";
          form.appendChild(input);
        }
        input.value = state.csrfToken;
      });
      var signedIn = !!state.member;
      document.querySelectorAll("[data-signed-in]").forEach(function (el) { el.hidden = !signedIn; });
      document.querySelectorAll("[data-signed-out]").forEach(function (el) { el.hidden = signedIn; });
      document.querySelectorAll("[data-member-name]").forEach(function (el) {
        el.textContent = signedIn ? state.member.name : "";
      });
      document.dispatchEvent(new CustomEvent("masthead:reader-state", { detail: state }));
    })
    .catch(function () { /* the no-JavaScript path still works */ });
})();
