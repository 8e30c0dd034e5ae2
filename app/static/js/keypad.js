// On-screen keypad: the kiosk has no keyboard. A key types into the field last touched
// (password or amount); the scanner and a tablet's own keyboard keep working as usual.
(function () {
  "use strict";
  let target = null;
  document.addEventListener("focusin", function (event) {
    if (event.target.matches("[data-keypad]")) target = event.target;
  });
  document.addEventListener("click", function (event) {
    const key = event.target.closest(".keypad [data-key]");
    if (!key) return;
    const form = key.closest("form");
    const field = (target && form && form.contains(target) && !target.disabled)
      ? target : form && form.querySelector("[data-keypad]:not([disabled])");
    if (!field) return;
    const value = key.dataset.key;
    field.value = value === "back" ? field.value.slice(0, -1) : field.value + value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    target = field;
  });
})();
