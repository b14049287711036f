// Appointment form: submit in place with fetch and show the confirmation. Without this script
// (or if fetch fails) the form posts normally and the server answers with a page.
(function () {
  "use strict";
  if (window.leadsFormReady) return;
  window.leadsFormReady = true;

  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (!form.matches || !form.matches("form[data-lead-form]") || !window.fetch || !window.FormData) return;
    event.preventDefault();
    var container = form.closest("[data-lead-container]");
    var status = form.querySelector("[data-lead-status]");
    var button = form.querySelector("button[type=submit]");
    if (button) button.disabled = true;
    if (status) status.textContent = "Sending…";
    fetch(form.action, {
      method: "POST",
      body: new FormData(form),
      headers: { Accept: "application/json" },
      credentials: "same-origin",
    })
      .then(function (response) {
        return response.json();
      })
      .then(function (data) {
        if (data.html) {
          container.outerHTML = data.html;
          var replaced = document.querySelector("[data-lead-confirmation], .lead-form__error");
          if (replaced) {
            replaced.setAttribute("tabindex", "-1");
            replaced.focus();
          }
        } else {
          if (status) status.textContent = data.error || "Something went wrong. Please call us.";
          if (button) button.disabled = false;
        }
      })
      .catch(function () {
        // Network or server trouble: fall back to a normal post, which the server handles too.
        form.submit();
      });
  });
})();
