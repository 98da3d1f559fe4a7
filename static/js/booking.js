// The booking form works without this file. It only shows the total as the party or session changes
// (the server prices the booking) and disables the button once the form is sent, against double clicks.
(function () {
  "use strict";

  function cents(value) {
    var number = parseFloat(value);
    return isNaN(number) ? 0 : Math.round(number * 100);
  }

  function count(form, name) {
    var input = form.elements[name];
    if (!input) return 0;
    var number = parseInt(input.value, 10);
    return isNaN(number) || number < 0 ? 0 : number;
  }

  function updateTotal(form) {
    var output = form.querySelector("[data-booking-total]");
    var chosen = form.querySelector('input[name="session"]:checked');
    if (!output) return;
    var adults = count(form, "adults");
    var children = count(form, "children");
    if (!chosen || adults + children < 1) {
      output.textContent = "—";
      return;
    }
    var total = cents(chosen.dataset.adultPrice) * adults + cents(chosen.dataset.childPrice) * children;
    output.textContent = "¥" + (total / 100).toFixed(2);
  }

  function enhance(form) {
    var button = form.querySelector("[data-booking-submit]");
    form.addEventListener("input", function () { updateTotal(form); });
    form.addEventListener("change", function () { updateTotal(form); });
    form.addEventListener("submit", function () {
      if (!button) return;
      // After the submit event: a form the browser refused to send never gets here.
      window.setTimeout(function () {
        button.disabled = true;
        button.setAttribute("aria-disabled", "true");
      }, 0);
    });
    // Coming back with the Back button restores the page as it was: make the button usable again.
    window.addEventListener("pageshow", function () {
      if (!button) return;
      button.disabled = false;
      button.removeAttribute("aria-disabled");
    });
    updateTotal(form);
  }

  function start() {
    var forms = document.querySelectorAll("[data-booking-form]");
    for (var i = 0; i < forms.length; i++) enhance(forms[i]);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
