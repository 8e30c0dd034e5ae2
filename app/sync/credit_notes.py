"""Credit notes at import: head office's balances become the box's starting point.

Head office knows what reached it. What this box issued or spent in exports still pending
(head office was down) is not in its balances yet, so it is added here; everything else the
box did before this import is already in them, and only payments made after it are counted
on top (app/services/selling/credit_notes.py). Nothing can be sold during an import: there is
no open day and no day waiting for export."""

from datetime import date, datetime

from app.database import sql_time
from app.states import ExportBatchStatus, TicketStatus

_LOCAL_MOVES = (
    # A batch set aside (head office holds other content for its days) counts as received:
    # its tickets are mostly in head office's own version, and counting a credit note twice
    # would give money away; head office reconciles from the kept body (docs/sync.md).
    # Training tickets (mode école) never reach head office: their credit notes are not money.
    "SELECT p.reference, SUM(CASE WHEN b.id IS NULL"
    f" OR b.status NOT IN ('{ExportBatchStatus.ACKNOWLEDGED}', '{ExportBatchStatus.SET_ASIDE}')"
    "  THEN p.amount_cents ELSE 0 END) AS pending, MAX(p.expires_on) AS expires_on"
    " FROM payment p JOIN payment_method m ON m.code = p.method_code AND m.store_credit"
    f" JOIN ticket t ON t.id = p.ticket_id AND t.status = '{TicketStatus.FINISHED}' AND NOT t.training"
    " JOIN register_day d ON d.id = t.day_id"
    " LEFT JOIN export_batch b ON b.id = d.export_batch_id"
    " WHERE p.reference IS NOT NULL GROUP BY p.reference"
)


def local_moves(cursor) -> dict[str, tuple[int, str | None]]:
    """Per code this box ever used: what head office has not received yet, and the last
    day of a credit note issued here. Read before the payment methods are replaced."""
    return {
        row["reference"]: (row["pending"] or 0, row["expires_on"]) for row in cursor.execute(_LOCAL_MOVES)
    }


def replace_credit_notes(cursor, notes: list[dict], moves: dict, today: date) -> None:
    last_payment = cursor.execute("SELECT COALESCE(MAX(id), 0) AS last_id FROM payment").fetchone()["last_id"]
    rows = {}
    for note in notes:
        pending, _expires = moves.get(note["code"], (0, None))
        rows[note["code"]] = (
            note["balance_cents"] - pending,
            note.get("issued_cents", 0),
            note["issued_at"],
            note["expires_on"],
            note.get("register_code"),
        )
    for code, (pending, expires) in moves.items():
        # Used here but not in head office's list: spent or expired there, unless its issue
        # is in an export head office has not received (then -pending is its value).
        if code not in rows:
            rows[code] = (-pending, 0, None, expires or today.isoformat(), None)
    cursor.execute("DELETE FROM credit_note")
    cursor.executemany(
        "INSERT INTO credit_note (code, balance_cents, issued_cents, issued_at, expires_on,"
        " register_code, after_payment_id) VALUES (?, ?, ?, ?, ?, ?, ?)",
        [
            (code, balance, issued, _time(issued_at), expires, register, last_payment)
            for code, (balance, issued, issued_at, expires, register) in rows.items()
        ],
    )


def _time(text):
    if not text:
        return None
    return sql_time(datetime.fromisoformat(text.replace("Z", "+00:00")))
