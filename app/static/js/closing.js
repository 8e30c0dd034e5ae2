// The count window (closing page, opening count): the grid's line totals, the running total,
// and per method the difference, what remains after the withdrawal, and the reason field of a
// method whose count differs. The server recomputes all of it when Valider / Ouvrir is tapped.
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
    form.querySelectorAll("tr[data-method]").forEach((row) => {
      const typedField = row.querySelector("input[name^=counted_]");
      const isCash = typedField && typedField.hasAttribute("data-cash-typed");
      let counted = typedField ? cents(typedField.value) : null;
      if (isCash && grid > 0) counted = grid;
      // A blind count has no expected amount on the page: nothing to compare with.
      const expected = row.dataset.expected === "" ? null : parseInt(row.dataset.expected, 10);
      const difference = counted === null || expected === null ? null : counted - expected;
      const cell = row.querySelector("[data-difference]");
      if (cell) cell.textContent = difference === null ? "—" : euros(difference);
      const reason = form.querySelector(`[data-reason-of="${row.dataset.method}"]`);
      if (reason && expected !== null) reason.hidden = !difference;
      const remaining = row.querySelector("[data-remaining]");
      const withdrawal = row.querySelector("[data-withdrawal]");
      if (remaining && withdrawal) {
        const present = counted !== null ? counted : expected;
        remaining.textContent = present === null ? "—" : euros(present - (cents(withdrawal.value) || 0));
      }
    });
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
