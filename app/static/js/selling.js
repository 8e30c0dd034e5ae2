// The selling screen: the scan field keeps the focus (a USB scanner types into whatever has
// it), and a refused scan is heard as well as seen.
(function () {
  "use strict";
  const scan = () => document.querySelector("[data-scan]");

  function refocus() {
    const field = scan();
    const active = document.activeElement;
    // Leave the focus alone while someone types an amount, a password or a search.
    if (field && (!active || active === document.body || active.tagName === "BUTTON" || active.tagName === "A")) {
      field.focus({ preventScroll: true });
    }
  }

  function beep() {
    try {
      const audio = new (window.AudioContext || window.webkitAudioContext)();
      const tone = audio.createOscillator();
      tone.frequency.value = 220;
      tone.connect(audio.destination);
      tone.start();
      tone.stop(audio.currentTime + 0.25);
    } catch (error) { /* no sound device: the red message is enough */ }
  }

  // Each Enter from the scanner is taken at once (the field is emptied for the next code)
  // and sent in order, one after the other: fast scans are neither lost nor reordered.
  const pending = [];
  let sending = false;
  async function sendScans(url) {
    if (sending) return;
    sending = true;
    while (pending.length) {
      const code = pending.shift();
      try {
        // The answer is out-of-band fragments (the new line, the totals): no main swap.
        await htmx.ajax("POST", url, { source: "#ticket", target: "#ticket", swap: "none", values: { code: code } });
      } catch (error) { /* shown by htmx's error handling; go on with the next code */ }
    }
    sending = false;
  }
  document.addEventListener("submit", function (event) {
    const form = event.target.closest("[data-scan-form]");
    if (!form || !window.htmx) return;
    event.preventDefault();
    const field = form.querySelector("[data-scan]");
    const code = field.value.trim();
    field.value = "";
    if (code) { pending.push(code); sendScans(form.action); }
  });

  document.addEventListener("htmx:afterSettle", function (event) {
    // The newest line is the one the cashier looks for: keep the end of the list in view.
    const lines = document.querySelector("#ticket .lines");
    if (lines) lines.scrollTop = lines.scrollHeight;
    refocus();
  });
  document.addEventListener("htmx:afterRequest", function (event) {
    const messages = document.getElementById("messages");
    // A person's next action that succeeds clears the old message; the status strip's poll
    // (every 10 s) is not an action and leaves a refusal on screen.
    const strip = document.getElementById("status");
    const path = event.detail.pathInfo && event.detail.pathInfo.requestPath;
    const byPerson = !(strip && path && path === strip.getAttribute("hx-get"));
    if (byPerson && event.detail.xhr && event.detail.xhr.status < 400 && messages) messages.replaceChildren();
    if (event.detail.xhr && event.detail.xhr.status >= 400) {
      beep();
      const field = scan();
      if (field) { field.classList.add("refused"); setTimeout(() => field.classList.remove("refused"), 600); }
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("input, select, textarea, .keypad")) setTimeout(refocus, 0);
  });
  // A scanner that types while the focus is on a button or a link (just tapped) still lands
  // in the scan field: moving the focus during keydown sends the character there.
  document.addEventListener("keydown", function (event) {
    const field = scan();
    const active = document.activeElement;
    if (!field || active === field || (active && active.matches("input, select, textarea"))) return;
    if (event.key.length === 1 || event.key === "Enter") field.focus({ preventScroll: true });
  }, true);
  // A method that needs a reference (a titre-service's number, a cheque's): its field takes the
  // focus at once, so the scanner's digits land there and not in the scan field.
  document.addEventListener("change", function (event) {
    const method = event.target.closest('input[name="method"][data-needs-reference="yes"]');
    const reference = method && method.form && method.form.querySelector("#reference");
    if (reference) reference.focus({ preventScroll: true });
  });
  document.addEventListener("DOMContentLoaded", refocus);
})();
