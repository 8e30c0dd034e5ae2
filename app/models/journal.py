"""The journal: every state change and every refusal, with who, when and why.

`record` writes one entry; it lives here, beside the table, because every layer journals
(the shop's rules in app/services, the printer worker, the backup commands) and none of
them may import the layer above it (tests/test_layers.py)."""

import json
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

import nf525
from app.database import raw_cursor, sql_time
from app.integrity.chain import append
from app.integrity.events import event_for

from .base import Base, utcnow

# Plain SQL: every sale, connection and refusal writes one, and the journal is only ever
# appended to (the columns are JournalEntry's, below).
_INSERT = (
    "INSERT INTO journal_entry (at, action, outcome, actor_code, actor_name, register_code,"
    " subject_uuid, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)"
)
_REGISTER = "SELECT register_code FROM box WHERE id = 1"


def record(
    session: Session,
    action: str,
    *,
    outcome: str = "ok",
    actor=None,
    register_code=None,
    subject_uuid=None,
    reason=None,
    **details,
) -> None:
    """One line in the journal, written at once in the caller's transaction (a plain INSERT:
    the journal is only ever appended to, and every sale writes one). An action the event
    journal lists (app/integrity/events.py) is also signed there, in the same transaction."""
    at = utcnow()
    entry = {
        "action": action,
        "outcome": outcome,
        "actor_code": getattr(actor, "code", actor if isinstance(actor, str) else None),
        "actor_name": getattr(actor, "name", None),
        "reason": str(reason) if reason is not None else None,
        "details": json.dumps(details, ensure_ascii=False, sort_keys=True, default=str) if details else None,
    }
    cursor = raw_cursor(session)
    cursor.execute(
        _INSERT,
        (
            sql_time(at),
            action,
            outcome,
            entry["actor_code"],
            entry["actor_name"],
            register_code,
            subject_uuid,
            entry["reason"],
            entry["details"],
        ),
    )
    event = event_for(action, outcome, details)
    if event is not None:
        entry["id"] = cursor.lastrowid
        if register_code is None:  # the box's register: the chain is per register
            row = cursor.execute(_REGISTER).fetchone()
            register_code = row[0] if row else None
        # An event is recorded whatever the clock says: a clock set back is itself an event.
        append(
            session,
            register_code or "",
            "event",
            action,
            nf525.event_fields(entry, event.code, event.label),
            at,
            subject_uuid,
            refuse_earlier=False,
        )


class JournalEntry(Base):
    __tablename__ = "journal_entry"
    id: Mapped[int] = mapped_column(primary_key=True)
    at: Mapped[datetime] = mapped_column(index=True)
    action: Mapped[str] = mapped_column(String(40), index=True)
    outcome: Mapped[str] = mapped_column(String(10))  # ok | refused | failed
    actor_code: Mapped[Optional[str]] = mapped_column(String(32))
    actor_name: Mapped[Optional[str]] = mapped_column(String(120))
    register_code: Mapped[Optional[str]] = mapped_column(String(32))
    subject_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    reason: Mapped[Optional[str]] = mapped_column(String(400))
    details: Mapped[Optional[str]] = mapped_column(Text)  # JSON
