// What pages need that used to be written inline: the Content-Security-Policy (app/headers.py)
// runs no inline script, no hx-on handler and no style="" attribute.
(function () {
  "use strict";
  // A form marked data-clear-code forgets the code typed once it was sent, refused or not.
  document.addEventListener("htmx:afterRequest", function (event) {
    const elt = event.detail.elt;
    const form = elt && elt.closest && elt.closest("form[data-clear-code]");
    if (form && elt.type === "submit" && form.elements.password) form.elements.password.value = "";
  });

  // Category tiles take head office's colour (a custom property set through the CSSOM,
  // which the policy allows, where a style attribute is refused).
  function paint(root) {
    root.querySelectorAll("[data-tile]").forEach(function (tile) {
      tile.style.setProperty("--tile", tile.dataset.tile);
    });
  }
  document.addEventListener("htmx:load", function (event) { paint(event.target); });
  document.addEventListener("DOMContentLoaded", function () { paint(document); });
})();
