"""What the box remembers of its exchanges with head office."""

from datetime import datetime
from typing import Optional

from sqlalchemy import String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.states import ExportBatchStatus, SyncRunStatus, SyncStep

from .base import UUID, Base, Code


class ExportBatch(Base):
    """An export, stored with its exact body *before* it is sent: a retry after a crash or a
    time-out sends the same id and the same bytes, so head office keeps exactly one."""

    __tablename__ = "export_batch"
    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    register_code: Mapped[Code]
    status: Mapped[str] = mapped_column(String(12), default=ExportBatchStatus.PENDING)
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


class SyncRun(Base):
    """One import or export as a person watches it: the step and percentage the progress
    window polls, and how it ended."""

    __tablename__ = "sync_run"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    kind: Mapped[str] = mapped_column(String(8))  # a SyncRunKind
    register_code: Mapped[Code]
    person_code: Mapped[Code]
    status: Mapped[str] = mapped_column(String(10), default=SyncRunStatus.RUNNING)
    step: Mapped[str] = mapped_column(String(40), default=SyncStep.START)
    percent: Mapped[int] = mapped_column(default=0)
    started_at: Mapped[datetime]
    finished_at: Mapped[Optional[datetime]]
    error: Mapped[Optional[str]] = mapped_column(String(400))
    snapshot_version: Mapped[Optional[str]] = mapped_column(String(80))


class KnownRegister(Base):
    """Head office's list of registers and who may import each, as last fetched: the
    opening screen offers them even before anything is imported."""

    __tablename__ = "known_register"
    code: Mapped[Code] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120))
    importers: Mapped[str] = mapped_column(Text, default="[]")  # JSON: code, name, password_hash
    fetched_at: Mapped[datetime]
