// The kiosk's on-screen keyboard (templates/_keyboard.html, only in pages served to the kiosk).
// It opens when a text field gets the focus, docks at the bottom and scrolls the field above
// itself; OK submits as Enter does; ▼ Fermer puts it away. Everything is delegated from the
// document, so fields that HTMX swaps in get it too. Typing goes through the keypad's
// Comptoir.typeInto (keypad.js): one way of typing for both.
(function () {
  "use strict";
  const board = document.getElementById("keyboard");
  const root = document.documentElement;
  let field = null;

  // A field whose keyboard opens on request (the scan field: it always holds the focus for the
  // scanner) has a button; without an on-screen keyboard (a tablet), that button lets the
  // device's own keyboard come up for the field.
  document.addEventListener("mousedown", function (event) {
    if (event.target.closest("[data-keyboard-for]") || (board && board.contains(event.target))) event.preventDefault();
  });
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-keyboard-for]");
    if (!button) return;
    const target = document.getElementById(button.dataset.keyboardFor);
    if (!target) return;
    if (board) {
      target.focus({ preventScroll: true });
      show(target);
    } else {
      // The device shows its keyboard on a focus with a typing inputmode: refocus with one,
      // and give the field back its own (the scanner's "none") when the person leaves it.
      target.blur();
      const mode = target.getAttribute("inputmode");
      target.setAttribute("inputmode", "text");
      target.addEventListener("blur", function () {
        if (mode === null) target.removeAttribute("inputmode"); else target.setAttribute("inputmode", mode);
      }, { once: true });
      target.focus();
    }
  });
  if (!board || !window.Comptoir) return;

  function keypadOnScreen() {
    return Array.from(document.querySelectorAll(".keypad")).some((pad) => pad.getClientRects().length > 0);
  }

  // Text fields get the keyboard; a keypad field keeps the keypad while one is on screen (the
  // catalog's weight field has none, so it gets the keyboard's digits).
  function wants(el) {
    if (!window.Comptoir.typable(el) || el.dataset.keyboard === "on-request") return false;
    return !(el.hasAttribute("data-keypad") && keypadOnScreen());
  }

  function show(el) {
    field = el;
    board.hidden = false;
    root.classList.add("osk-open");
    reveal(el);
  }

  function hide() {
    field = null;
    board.hidden = true;
    board.dataset.layer = "lower";
    root.classList.remove("osk-open");
  }

  // The field must stay in sight above the keyboard, with its one-tap reasons if it has some:
  // nested scrolling panels first, then the page, which has room to scroll (osk-open pads the
  // bottom by the keyboard's height). The field itself never goes above the top.
  function reveal(el) {
    el.scrollIntoView({ block: "nearest" });
    const chip = el.id && document.querySelector('[data-reason-for="' + CSS.escape(el.id) + '"]');
    const box = el.getBoundingClientRect();
    const bottom = chip ? Math.max(box.bottom, chip.parentElement.getBoundingClientRect().bottom) : box.bottom;
    const limit = window.innerHeight - board.offsetHeight - 8;
    if (bottom > limit) window.scrollBy(0, Math.min(bottom - limit, box.top - 8));
  }

  // As Enter in the field: the form's default (first) submit button, so htmx's hx-post on that
  // button runs; a disabled default button does nothing, as in the browser. A field outside any
  // form (the catalog search) gets the `search` event Enter gives it.
  function enter(el) {
    const form = el.form;
    if (!form) {
      el.dispatchEvent(new Event(el.type === "search" ? "search" : "change", { bubbles: true }));
      return;
    }
    const button = Array.from(form.elements).find((b) => b.type === "submit");
    if (button) {
      if (!button.disabled) button.click();
    } else {
      form.requestSubmit();
    }
  }

  // Showing or hiding moves the page (the padding, the scroll that reveals the field): never
  // in the middle of a tap, or its click would land on whatever moved under the finger (a key,
  // another button). So the keyboard follows the focus once the tap is over.
  let pressing = false, pending = false;
  function follow() {
    pending = false;
    const el = document.activeElement;
    if (el === field && !board.hidden) return;
    if (wants(el)) show(el);
    else hide();
  }
  function followAfterTap() {
    if (!pending) {
      pending = true;
      if (!pressing) setTimeout(follow, 0);
    }
  }
  document.addEventListener("pointerdown", function () { pressing = true; }, true);
  ["pointerup", "pointercancel"].forEach(function (type) {
    document.addEventListener(type, function () {
      pressing = false;
      if (pending) setTimeout(follow, 0);
    }, true);
  });
  document.addEventListener("focusin", function (event) {
    if (!board.contains(event.target)) followAfterTap();
  });
  // A tap elsewhere (the focus goes to the page) puts the keyboard away, as on a phone.
  document.addEventListener("focusout", function (event) {
    if (event.target === field && !event.relatedTarget) followAfterTap();
  });
  // Tapping the focused field again brings back a keyboard put away by OK.
  document.addEventListener("click", function (event) {
    if (board.hidden && event.target === document.activeElement && wants(event.target)) followAfterTap();
  });

  board.addEventListener("click", function (event) {
    const key = event.target.closest("button");
    if (!key || !field) return;
    if (key.dataset.oskLayerTo) {
      board.dataset.layer = key.dataset.oskLayerTo;
    } else if (key.dataset.osk !== undefined) {
      window.Comptoir.typeInto(field, key.dataset.osk);
      // Maj is for one letter, as on a phone.
      if (board.dataset.layer.endsWith("upper")) board.dataset.layer = board.dataset.layer.replace(/-?upper$/, "") || "lower";
    } else if (key.dataset.oskAction === "back") {
      window.Comptoir.typeInto(field, "back");
    } else if (key.dataset.oskAction === "enter") {
      const el = field;
      hide();
      enter(el);
    } else if (key.dataset.oskAction === "close") {
      const el = field;
      hide();
      el.blur();
    }
  });

  // A swap that replaced the field (same id) keeps the keyboard on its successor.
  document.addEventListener("htmx:afterSettle", function () {
    if (!field || field.isConnected) return;
    const successor = field.id && document.getElementById(field.id);
    if (successor && wants(successor)) {
      successor.focus({ preventScroll: true });
      show(successor);
    } else {
      hide();
    }
  });
})();
