"""The journal: every state change and every refusal, with who, when and why.

`record` writes one entry; it lives here, beside the table, because every layer journals
(the shop's rules in app/services, the printer worker, the backup commands) and none of
them may import the layer above it (tests/test_layers.py)."""
import json
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, Session, mapped_column

from app.database import raw_cursor, sql_time

from .base import Base, utcnow

# Plain SQL: every sale, connection and refusal writes one, and the journal is only ever
# appended to (the columns are JournalEntry's, below).
_INSERT = ("INSERT INTO journal_entry (at, action, outcome, actor_code, actor_name, register_code,"
           " subject_uuid, reason, details) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)")


def record(session: Session, action: str, *, outcome: str = "ok", actor=None, register_code=None,
           subject_uuid=None, reason=None, **details) -> None:
    """One line in the journal, written at once in the caller's transaction (a plain INSERT:
    the journal is only ever appended to, and every sale writes one)."""
    raw_cursor(session).execute(_INSERT, (
        sql_time(utcnow()), action, outcome,
        getattr(actor, "code", actor if isinstance(actor, str) else None), getattr(actor, "name", None),
        register_code, subject_uuid, str(reason) if reason is not None else None,
        json.dumps(details, ensure_ascii=False, sort_keys=True, default=str) if details else None))


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
