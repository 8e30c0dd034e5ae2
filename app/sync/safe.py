"""The safe at import: head office's balances become the box's starting point, as credit
notes do (app/sync/credit_notes.py). Head office knows the movements that reached it; what
this box moved in exports still pending (head office was down) is not in its figures yet, so
it is added here; movements written after this import are read on top of it
(app/services/closing/safe.py)."""

from datetime import datetime

from app.database import sql_time
from app.states import CashMovementKind, ExportBatchStatus

_PENDING = (
    # A batch set aside counts as received, as for credit notes (docs/sync.md).
    "SELECT s.method_code, COUNT(*) AS operations,"
    f" SUM(CASE WHEN s.kind = '{CashMovementKind.IN}' THEN s.amount_cents ELSE 0 END) AS deposits,"
    f" SUM(CASE WHEN s.kind = '{CashMovementKind.OUT}' THEN s.amount_cents ELSE 0 END) AS withdrawals"
    " FROM safe_movement s JOIN register_day d ON d.id = s.day_id"
    " LEFT JOIN export_batch b ON b.id = d.export_batch_id"
    f" WHERE b.id IS NULL OR b.status NOT IN ('{ExportBatchStatus.ACKNOWLEDGED}', '{ExportBatchStatus.SET_ASIDE}')"
    " GROUP BY s.method_code"
)


def replace_safe(cursor, safe: dict | None) -> None:
    """The shop row is already written; `safe` is the snapshot's part (None: the safe is off)."""
    cursor.execute("DELETE FROM safe_balance")
    if safe is None:
        return
    cursor.execute(
        "UPDATE shop SET safe_enabled = 1, safe_limit_cents = ?, safe_limit_days = ?, safe_since = ?",
        (safe.get("limit_cents"), safe.get("limit_days"), _time(safe.get("since"))),
    )
    last = cursor.execute("SELECT COALESCE(MAX(id), 0) AS last_id FROM safe_movement").fetchone()["last_id"]
    rows = {
        method["method_code"]: [
            method["operation_count"],
            method["deposits_cents"],
            method["withdrawals_cents"],
        ]
        for method in safe.get("methods") or ()
    }
    # Every method head office sends to the safe has its line, money in it or not.
    for method in cursor.execute("SELECT code FROM payment_method WHERE goes_to_safe").fetchall():
        rows.setdefault(method["code"], [0, 0, 0])
    for pending in cursor.execute(_PENDING).fetchall():
        row = rows.setdefault(pending["method_code"], [0, 0, 0])
        row[0] += pending["operations"]
        row[1] += pending["deposits"]
        row[2] += pending["withdrawals"]
    cursor.executemany(
        "INSERT INTO safe_balance (method_code, operation_count, deposits_cents, withdrawals_cents,"
        " after_movement_id) VALUES (?, ?, ?, ?, ?)",
        [(code, *figures, last) for code, figures in rows.items()],
    )


def _time(text):
    if not text:
        return None
    return sql_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
