"""The persistent print queue: a job is written in the same transaction as the document
that caused it, then sent by the one process that owns the printer (`printer serve`)."""

from datetime import datetime
from typing import Optional

from sqlalchemy import Index, LargeBinary, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from app.states import PrintJobState

from .base import UUID, Base


class PrintJob(Base):
    __tablename__ = "print_job"
    id: Mapped[int] = mapped_column(primary_key=True)
    uuid: Mapped[UUID]
    idempotency_key: Mapped[str] = mapped_column(String(80), unique=True)
    kind: Mapped[str] = mapped_column(String(16))  # a PrintJobKind
    document_uuid: Mapped[Optional[str]] = mapped_column(String(36))
    copy_number: Mapped[int] = mapped_column(default=0)  # 0 = original, n = DUPLICATA n°n
    payload: Mapped[str] = mapped_column(Text)  # the document's data, JSON
    state: Mapped[str] = mapped_column(String(10), default=PrintJobState.QUEUED)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(400))
    created_at: Mapped[datetime]
    next_attempt_at: Mapped[Optional[datetime]]
    printed_at: Mapped[Optional[datetime]]
    # When the owner started sending: a job found `printing` at start-up was cut off by a
    # crash, and may already be on paper.
    started_at: Mapped[Optional[datetime]]
    # Bytes may have reached the printer before a failure: the next copy says so on paper.
    interrupted: Mapped[bool] = mapped_column(default=False)
    __table_args__ = (
        Index("ix_print_job_state", "state", "next_attempt_at"),
        Index("ix_print_job_document_uuid", "document_uuid"),
    )


class DeviceStatus(Base):
    """One row, written by the device worker, read by the status strip of every screen."""

    __tablename__ = "device_status"
    id: Mapped[int] = mapped_column(primary_key=True)  # always 1
    code: Mapped[str] = mapped_column(String(20))  # see app/devices/status.py
    detail: Mapped[Optional[str]] = mapped_column(String(400))
    printer_kind: Mapped[str] = mapped_column(String(16))
    checked_at: Mapped[datetime]
    heartbeat_at: Mapped[datetime]  # the worker is alive
    worker_pid: Mapped[Optional[int]]


class VirtualPrint(Base):
    """What the virtual printer 'printed': the exact bytes and their text, for the screen."""

    __tablename__ = "virtual_print"
    id: Mapped[int] = mapped_column(primary_key=True)
    job_uuid: Mapped[str] = mapped_column(String(36))
    kind: Mapped[str] = mapped_column(String(16))
    created_at: Mapped[datetime]
    text: Mapped[str] = mapped_column(Text)
    data: Mapped[bytes] = mapped_column(LargeBinary)
