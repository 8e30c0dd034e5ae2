"""Per-register numbers without gaps: taken in the transaction that writes the document (a
rolled-back document gives its number back). One statement, an upsert that returns the new
value, in plain SQL because Valider takes one on every sale (the table is app.models.Sequence)."""

from sqlalchemy.orm import Session

from app.database import raw_cursor

_NEXT = (
    "INSERT INTO sequence (register_code, name, last_value) VALUES (?, ?, 1)"
    " ON CONFLICT (register_code, name) DO UPDATE SET last_value = last_value + 1 RETURNING last_value"
)


def next_number(session: Session, register_code: str, name: str) -> int:
    # fetchall: a RETURNING statement is finished only once its rows are read.
    return raw_cursor(session).execute(_NEXT, (register_code, name)).fetchall()[0]["last_value"]
