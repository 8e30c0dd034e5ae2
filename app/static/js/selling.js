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

  document.addEventListener("htmx:afterSettle", refocus);
  document.addEventListener("htmx:afterRequest", function (event) {
    if (event.detail.xhr && event.detail.xhr.status >= 400) {
      beep();
      const field = scan();
      if (field) { field.classList.add("refused"); setTimeout(() => field.classList.remove("refused"), 600); }
    }
  });
  document.addEventListener("click", function (event) {
    if (!event.target.closest("input, select, textarea, .keypad")) setTimeout(refocus, 0);
  });
  document.addEventListener("DOMContentLoaded", refocus);
})();
