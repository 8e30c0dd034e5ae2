// On-screen keypad: the kiosk has no keyboard. A key types into the field last touched
// (password or amount); the scanner and a tablet's own keyboard keep working as usual.
(function () {
  "use strict";
  let target = null;
  document.addEventListener("focusin", function (event) {
    if (!event.target.matches("[data-keypad]")) return;
    target = event.target;
    // A suggested value (the float, the amount due) is replaced by the first key, not extended.
    if (target.hasAttribute("data-keypad-replace") && target.value) target.dataset.fresh = "1";
  });
  document.addEventListener("click", function (event) {
    const key = event.target.closest(".keypad [data-key]");
    if (!key) return;
    const form = key.closest("form");
    // A keypad inside a form types into that form; one shared by a panel's forms (the line
    // editor) types into whichever field was touched last.
    const usable = target && target.isConnected && !target.disabled && (!form || form.contains(target));
    const field = usable ? target : form && form.querySelector("[data-keypad]:not([disabled])");
    if (!field) return;
    const value = key.dataset.key;
    if (field.dataset.fresh) {
      delete field.dataset.fresh;
      field.value = "";
    }
    field.value = value === "back" ? field.value.slice(0, -1) : field.value + value;
    field.dispatchEvent(new Event("input", { bubbles: true }));
    target = field;
  });
})();
