"""What the box remembers of its exchanges with head office."""
from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from .base import UUID, Base, Code


class ExportBatch(Base):
    """An export, stored with its exact body *before* it is sent: a retry after a crash or a
    time-out sends the same id and the same bytes, so head office keeps exactly one."""

    __tablename__ = "export_batch"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    register_code: Mapped[Code]
    status: Mapped[str] = mapped_column(String(12), default="pending")  # pending | acknowledged
    created_at: Mapped[datetime]
    created_by_code: Mapped[Code]
    body: Mapped[str] = mapped_column(Text)
    body_sha256: Mapped[str] = mapped_column(String(64))
    day_count: Mapped[int]
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(400))
    last_attempt_at: Mapped[Optional[datetime]]
    next_attempt_at: Mapped[Optional[datetime]]
    acknowledged_at: Mapped[Optional[datetime]]


class ImportRun(Base):
    """One import, with the step and percentage the progress window polls."""

    __tablename__ = "import_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    register_code: Mapped[Code]
    person_code: Mapped[Code]
    status: Mapped[str] = mapped_column(String(10), default="running")  # running | done | failed
    step: Mapped[str] = mapped_column(String(40), default="")
    percent: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]]
    error: Mapped[Optional[str]] = mapped_column(String(400))
    snapshot_version: Mapped[Optional[str]] = mapped_column(String(80))
