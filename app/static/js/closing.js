// The closing page: the grid's line totals, the running total, differences and what stays in
// the drawer, as the manager counts. The server recomputes all of it when Valider is tapped.
(function () {
  "use strict";
  const form = document.querySelector("[data-closing]");
  if (!form) return;
  const euros = (cents) => (cents < 0 ? "-" : "") + (Math.abs(cents) / 100).toFixed(2).replace(".", ",") + "\u00a0€";
  const cents = (text) => {
    const match = /^(\d{1,9})(?:[.,](\d{1,2}))?$/.exec((text || "").replace(/\s|€/g, ""));
    return match ? parseInt(match[1], 10) * 100 + parseInt((match[2] || "0").padEnd(2, "0"), 10) : null;
  };

  function update() {
    let grid = 0;
    form.querySelectorAll("tr[data-value]").forEach((row) => {
      const pieces = parseInt(row.querySelector("input").value, 10) || 0;
      const total = pieces * parseInt(row.dataset.value, 10);
      row.querySelector("[data-line-total]").textContent = euros(total);
      grid += total;
    });
    const gridCell = form.querySelector("[data-grid-total]");
    if (gridCell) gridCell.textContent = euros(grid);
    let cashPresent = null;
    form.querySelectorAll("tr[data-method]").forEach((row) => {
      const typedField = row.querySelector("input[name^=counted_]");
      const isCash = typedField && typedField.hasAttribute("data-cash-typed");
      let counted = typedField ? cents(typedField.value) : null;
      if (isCash && grid > 0) counted = grid;
      const expected = row.dataset.expected === "" ? null : parseInt(row.dataset.expected, 10);
      const cell = row.querySelector("[data-difference]");
      if (cell) cell.textContent = counted === null || expected === null ? "—" : euros(counted - expected);
      if (isCash) cashPresent = counted !== null ? counted : expected;
    });
    const remaining = form.querySelector("[data-remaining]");
    if (remaining) {
      const withdrawal = cents(form.elements.withdrawal.value) || 0;
      remaining.textContent = cashPresent === null ? "—" : euros(cashPresent - withdrawal);
    }
  }

  form.addEventListener("click", (event) => {
    const step = event.target.closest("[data-step]");
    if (!step) return;
    const field = step.parentElement.querySelector("input");
    if (field.readOnly) return;
    field.value = Math.max(0, (parseInt(field.value, 10) || 0) + parseInt(step.dataset.step, 10));
    update();
  });
  form.addEventListener("input", update);
  update();
})();
