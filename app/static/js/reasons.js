// One-tap reasons (templates/_reasons.html): a tap puts the reason in its field, which stays
// editable; the chip that matches the field shows as chosen. The tap leaves the focus where it
// was, so the on-screen keyboard neither pops up nor goes away because of it.
(function () {
  "use strict";
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest("[data-reason-for]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    const chip = event.target.closest("[data-reason-for]");
    if (!chip) return;
    const field = document.getElementById(chip.dataset.reasonFor);
    if (!field || field.disabled || field.readOnly) return;
    field.value = chip.textContent.trim();
    field.dispatchEvent(new Event("input", { bubbles: true }));
  });
  document.addEventListener("input", function (event) {
    if (!event.target.id) return;
    document.querySelectorAll('[data-reason-for="' + CSS.escape(event.target.id) + '"]').forEach(function (chip) {
      chip.setAttribute("aria-pressed", String(chip.textContent.trim() === event.target.value.trim()));
    });
  });
})();
