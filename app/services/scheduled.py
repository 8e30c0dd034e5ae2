"""Scheduled work at an hour head office sets on the register (docs/sync.md, « Scheduled
work »): when a job is due, and its one row per due time.

A job is due from its hour until it is done: the scheduler's tick asks "what was the last
time this hour came?" and looks for that time's row. A box switched off at the hour does it
at the next start, once — the row of that time says it was done — and a box off for three
days does it once too, for the last time the hour came."""

import re
from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import ScheduledTask
from app.states import ScheduledKind, ScheduledStatus

_HOUR = re.compile(r"^([01]\d|2[0-3]):([0-5]\d)$")


@dataclass(frozen=True)
class SystemActor:
    """Who acts when the scheduler does: the journal, the Z and the export name it; it holds
    every right a scheduled job needs and no password opens it."""

    code: str = "SYSTEME"
    name: str = "Système (tâche planifiée)"

    def has_right(self, _right) -> bool:
        return True


SYSTEM = SystemActor()


def parse_hour(text) -> time | None:
    """ "HH:MM" (24 h) → a time; empty or None → None (the job is off)."""
    if not text:
        return None
    match = _HOUR.match(str(text).strip())
    if match is None:
        raise ValueError(f"hour {text!r}: use HH:MM, e.g. 22:00")
    return time(int(match.group(1)), int(match.group(2)))


def last_due(hour_text: str | None, timezone: str, now: datetime) -> datetime | None:
    """The last time (UTC) the shop's clock showed `hour_text`, at or before `now`; None when
    the job is off. Computed on the shop's calendar, so summer time moves it with the shop."""
    hour = parse_hour(hour_text)
    if hour is None:
        return None
    zone = ZoneInfo(timezone)
    local_now = now.astimezone(zone)
    due = datetime.combine(local_now.date(), hour, tzinfo=zone)
    if due > local_now:
        due = datetime.combine(local_now.date() - timedelta(days=1), hour, tzinfo=zone)
    return due.astimezone(now.tzinfo)


def task_at(session: Session, kind: ScheduledKind, due_at: datetime) -> ScheduledTask | None:
    return session.scalars(
        select(ScheduledTask).where(ScheduledTask.kind == kind, ScheduledTask.due_at == due_at)
    ).first()


def latest_task(session: Session, kind: ScheduledKind) -> ScheduledTask | None:
    """The last due time of a job, as a screen shows it."""
    return session.scalars(
        select(ScheduledTask).where(ScheduledTask.kind == kind).order_by(ScheduledTask.due_at.desc()).limit(1)
    ).first()


def finished(task: ScheduledTask | None) -> bool:
    return task is not None and task.status in (ScheduledStatus.DONE, ScheduledStatus.SKIPPED)
