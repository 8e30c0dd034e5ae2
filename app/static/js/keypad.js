// On-screen keypad: the kiosk has no keyboard. A key types into the field that has the focus,
// wherever it is on the page (a refusal can show forms of its own above the keypad's form);
// the scanner and a tablet's own keyboard keep working as usual.
// window.Comptoir.typeInto is shared with the on-screen keyboard (keyboard.js).
(function () {
  "use strict";
  const ENTRY = "input:not([type]), input[type=text], input[type=search], input[type=password], "
    + "input[type=tel], input[type=url], textarea";
  const typable = (el) => !!el && el.isConnected && el.matches(ENTRY) && !el.disabled && !el.readOnly;
  // The scan field holds the focus for the scanner (data-keyboard="on-request"), not because
  // the person chose it: a keypad beside it types into its own form's field.
  const chosen = (el) => typable(el) && el.dataset.keyboard !== "on-request";
  let last = null;

  document.addEventListener("focusin", function (event) {
    const field = event.target;
    if (!chosen(field)) return;
    last = field;
    // A suggested value (the float, the amount due) is replaced by the first key, not extended.
    if (field.hasAttribute("data-keypad-replace") && field.value) field.dataset.fresh = "1";
  });

  // Types `text` at the caret (or replaces the selection); "back" erases before the caret.
  function typeInto(field, text) {
    if (field.dataset.fresh) {
      delete field.dataset.fresh;
      field.value = "";
    }
    const value = field.value;
    let start = field.selectionStart, end = field.selectionEnd;
    if (start === null || start === undefined || document.activeElement !== field) start = end = value.length;
    if (text === "back") {
      if (start === end && start > 0) start -= 1;
      field.setRangeText("", start, end, "end");
    } else {
      if (field.maxLength > 0 && value.length - (end - start) + text.length > field.maxLength) return;
      field.setRangeText(text, start, end, "end");
    }
    field.dispatchEvent(new Event("input", { bubbles: true }));
  }

  // The focused field; else the one touched last (still on the page); else, for a keypad
  // inside a form, that form's first keypad field (a key tapped before any field), which then
  // takes the focus as if touched: a suggested amount is replaced, the next keys follow.
  function target(keypad) {
    if (chosen(document.activeElement)) return document.activeElement;
    if (chosen(last)) return last;
    const form = keypad.closest("form");
    const field = form && Array.from(form.querySelectorAll("[data-keypad]")).find(typable);
    if (field) field.focus({ preventScroll: true });
    return field || null;
  }

  // A key must not take the focus from the field: the caret stays where the person put it.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest(".keypad [data-key]")) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    const key = event.target.closest(".keypad [data-key]");
    if (!key) return;
    const field = target(key.closest(".keypad"));
    if (!field) return;
    typeInto(field, key.dataset.key);
    last = field;
  });

  window.Comptoir = Object.assign(window.Comptoir || {}, { typeInto: typeInto, typable: typable });
})();
