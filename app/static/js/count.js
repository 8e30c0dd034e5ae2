// « Calculer la caisse » in the cashier-session windows: the grid's line totals and its total,
// which becomes the cash field's amount; and each method's « Restant » as amounts are typed.
// The server recomputes all of it at Valider.
(function () {
  "use strict";
  const form = document.querySelector("[data-count-form]");
  if (!form) return;
  const euros = (cents) => (cents < 0 ? "-" : "") + (Math.abs(cents) / 100).toFixed(2).replace(".", ",") + "\u00a0€";
  const cents = (text) => {
    const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec((text || "").replace(/\s|€/g, ""));
    return match ? parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10) : null;
  };

  function update(event) {
    let grid = 0;
    form.querySelectorAll("tr[data-value]").forEach((row) => {
      const total = (parseInt(row.querySelector("input").value, 10) || 0) * parseInt(row.dataset.value, 10);
      row.querySelector("[data-line-total]").textContent = euros(total);
      grid += total;
    });
    const gridCell = form.querySelector("[data-grid-total]");
    if (gridCell) gridCell.textContent = euros(grid);
    const target = form.querySelector("[data-count-target]");
    const fromGrid = event && event.target && event.target.closest && event.target.closest("tr[data-value], [data-step]");
    if (target && fromGrid) target.value = grid ? euros(grid).replace("\u00a0€", "") : "";
    form.querySelectorAll("tr[data-final]").forEach((row) => {
      const real = cents(row.querySelector("[name^=real_]").value);
      const withdrawal = cents(row.querySelector("[name^=withdrawal_]").value) || 0;
      const present = real === null ? parseInt(row.dataset.final, 10) : real;
      row.querySelector("[data-remaining]").textContent = euros(present - withdrawal);
    });
  }

  form.addEventListener("click", (event) => {
    const step = event.target.closest("[data-step]");
    if (!step) return;
    const field = step.parentElement.querySelector("input");
    field.value = Math.max(0, (parseInt(field.value, 10) || 0) + parseInt(step.dataset.step, 10));
    update(event);
  });
  form.addEventListener("input", update);
  update();
})();
