// The booking form works without this file. It only shows the total as the party or session changes
// (the server prices the booking), shows the button that fits the chosen session (book it, or join its waiting
// list when it has fewer seats left than the party) and disables the buttons once the form is sent, against
// double clicks.
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

  // Without a waiting-list button (no session is full) the book button always shows.
  function updateButtons(form) {
    var book = form.querySelector("[data-booking-submit]");
    var wait = form.querySelector("[data-waitlist-submit]");
    var help = form.querySelector("[data-waitlist-help]");
    var chosen = form.querySelector('input[name="session"]:checked');
    if (!book || !wait || !chosen) return;
    var party = Math.max(count(form, "adults") + count(form, "children"), 1);
    var tooFull = parseInt(chosen.dataset.seatsLeft, 10) < party;
    book.hidden = tooFull;
    wait.hidden = !tooFull;
    if (help) help.hidden = !tooFull;
  }

  function setDisabled(buttons, disabled) {
    for (var i = 0; i < buttons.length; i++) {
      buttons[i].disabled = disabled;
      if (disabled) buttons[i].setAttribute("aria-disabled", "true");
      else buttons[i].removeAttribute("aria-disabled");
    }
  }

  function enhance(form) {
    var buttons = form.querySelectorAll("[data-booking-submit], [data-waitlist-submit]");
    function update() {
      updateTotal(form);
      updateButtons(form);
    }
    form.addEventListener("input", update);
    form.addEventListener("change", update);
    form.addEventListener("submit", function () {
      // After the submit event, so the button pressed is still sent: a form the browser refused to send never
      // gets here.
      window.setTimeout(function () { setDisabled(buttons, true); }, 0);
    });
    // Coming back with the Back button restores the page as it was: make the buttons usable again.
    window.addEventListener("pageshow", function () { setDisabled(buttons, false); });
    update();
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
