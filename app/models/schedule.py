"""What the scheduler process did with each due time of the register's scheduled work
(docs/sync.md, « Scheduled work »)."""

from datetime import datetime
from typing import Optional

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.states import ScheduledStatus

from .base import Base, Code


class ScheduledTask(Base):
    """One due time of one job (the closing of 27/11 at 22:00, the import of 28/11 at 06:30):
    claimed once, under the write lock, whichever scheduler process or person gets there first."""

    __tablename__ = "scheduled_task"
    id: Mapped[int] = mapped_column(primary_key=True)
    kind: Mapped[str] = mapped_column(String(16))  # a ScheduledKind
    due_at: Mapped[datetime]
    register_code: Mapped[Code]
    status: Mapped[str] = mapped_column(String(10), default=ScheduledStatus.RUNNING)
    attempts: Mapped[int] = mapped_column(default=0)
    last_error: Mapped[Optional[str]] = mapped_column(String(400))
    next_attempt_at: Mapped[Optional[datetime]]
    # The planned import's lock (app/sync/run_owner.py): a process that died holds nothing.
    owner: Mapped[Optional[str]] = mapped_column(String(36))
    started_at: Mapped[Optional[datetime]]
    finished_at: Mapped[Optional[datetime]]
    subject_uuid: Mapped[Optional[str]] = mapped_column(String(36))  # the day closed
    __table_args__ = (UniqueConstraint("kind", "due_at", name="uq_scheduled_task_kind"),)
