"""The journal: every state change and every refusal, with who, when and why."""
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import Base


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
