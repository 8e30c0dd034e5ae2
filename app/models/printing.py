"""The persistent print queue: a job is written in the same transaction as the document
that caused it, then sent by the one process that owns the printer."""
from datetime import datetime
from typing import Optional

from sqlalchemy import Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import UUID, Base


class PrintJob(Base):
    __tablename__ = "print_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # receipt | z_report | cash | count | drawer
    document_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    copy_number: Mapped[int] = mapped_column(default=0)  # 0 = original, n = DUPLICATA n
    payload: Mapped[str] = mapped_column(Text)  # the document's data, JSON
    state: Mapped[str] = mapped_column(String(10), default="queued")
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(400))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[Optional[datetime]]
    printed_at: Mapped[Optional[datetime]]
    __table_args__ = (Index("ix_print_job_state", "state", "next_attempt_at"),)
