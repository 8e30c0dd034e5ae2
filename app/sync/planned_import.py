"""The planned import (docs/sync.md, « Scheduled work »): at the hour head office sets on the
register, the scheduler imports the register's data as Importer does, when the register's
state allows it (A or B: never while a day is open, never before the closed days are
exported — docs/flows.md, « The register's states »).

No person types a password: head office set the hour, and the box's token is what head
office checks. The work is claimed under the write lock (one row per due time, owned through
a lock file a dead process drops, app/sync/run_owner.py), the download runs with no
transaction open, and the save is the import's own transaction — so two scheduler
processes, or a person tapping Importer meanwhile, give one import."""

from datetime import timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import Register, ScheduledTask, new_uuid, utcnow
from app.services.errors import DomainError
from app.services.journal import record
from app.services.lifecycle import register_state
from app.services.scheduled import SYSTEM, finished, last_due, task_at
from app.states import RegisterStateCode, ScheduledKind, ScheduledStatus, SyncRunKind
from app.sync import run_owner
from app.sync.importing import import_snapshot
from app.sync.runs import get_run, start_run

RETRY_FIRST = timedelta(minutes=5)
RETRY_MAX = timedelta(hours=1)

_STATE_WAITS = {
    RegisterStateCode.OPEN: "Import planifié en attente : une journée est ouverte.",
    RegisterStateCode.CLOSED_NOT_EXPORTED: (
        "Import planifié en attente : des journées fermées attendent l'export."
    ),
}
# Translations of the two sentences above, for the screens (the row keeps the French).
_l("Import planifié en attente : une journée est ouverte.")
_l("Import planifié en attente : des journées fermées attendent l'export.")


class PlannedImport(StrEnum):
    NOT_DUE = "not_due"  # off, done, or its next try is later
    WAITING = "waiting"  # the register's state forbids it for now
    BUSY = "busy"  # another import or export is running, or another scheduler has it
    DONE = "done"
    FAILED = "failed"


def run_planned_import(session: Session, client_factory) -> PlannedImport:
    """One tick of the job; client_factory() gives a HeadOfficeClient (a context manager)."""
    claimed = _claim(session)
    if isinstance(claimed, PlannedImport):
        return claimed
    task_id, owner, register_code = claimed
    try:
        try:
            started = start_run(session, SyncRunKind.IMPORT, register_code, SYSTEM.code)
        except DomainError as error:  # a person's import or export is running
            _give_back(session, task_id, str(error))
            return PlannedImport.BUSY
        run = get_run(session, started.uuid)  # written as plain SQL: read back into the session
        try:
            with client_factory() as client:
                import_snapshot(session, client, register_code, SYSTEM.code, run)
        except DomainError as error:
            _failed(session, task_id, register_code, error)
            return PlannedImport.FAILED
        _done(session, task_id)
        return PlannedImport.DONE
    finally:
        run_owner.release(owner)


def _planned_register(session: Session, state) -> Register | None:
    """The register on the box; in state A (all exported) the one whose data is still here."""
    if state.register is not None:
        return state.register
    return session.scalars(select(Register).limit(1)).first() if state.box.shop_code else None


def _claim(session: Session):
    """Under the write lock: is it due, may it run, and take it. Returns what to import, or
    why not."""
    session.rollback()
    session.connection()  # BEGIN IMMEDIATE
    now = utcnow()
    state = register_state(session)
    register = _planned_register(session, state)
    due = last_due(register.planned_import_time, state.timezone, now) if register else None
    if due is None:
        session.rollback()
        return PlannedImport.NOT_DUE
    task = task_at(session, ScheduledKind.PLANNED_IMPORT, due)
    imported_at = state.box.imported_at
    if finished(task):
        session.rollback()
        return PlannedImport.NOT_DUE
    if imported_at is not None and imported_at >= due and state.code != RegisterStateCode.OPEN:
        # Imported since the hour came — by a person, or by a run that died after saving.
        if task is not None:
            task.status, task.finished_at, task.last_error = ScheduledStatus.DONE, now, None
            session.commit()
        else:
            session.rollback()
        return PlannedImport.NOT_DUE
    if task is None:
        task = ScheduledTask(
            kind=ScheduledKind.PLANNED_IMPORT,
            due_at=due,
            register_code=register.code,
            status=ScheduledStatus.WAITING,
            attempts=0,
        )
        session.add(task)
    wait = _STATE_WAITS.get(state.code)
    if wait is not None:
        return _wait(session, task, wait, register.code)
    if task.status == ScheduledStatus.FAILED and task.next_attempt_at and task.next_attempt_at > now:
        session.rollback()
        return PlannedImport.NOT_DUE
    if task.status == ScheduledStatus.RUNNING and task.owner and run_owner.owner_alive(task.owner):
        session.rollback()
        return PlannedImport.BUSY
    owner = new_uuid()
    run_owner.claim(owner)
    task.status, task.owner, task.started_at = ScheduledStatus.RUNNING, owner, now
    task.attempts += 1
    try:
        session.flush()
        task_id = task.id
        session.commit()
    except IntegrityError:  # another scheduler process wrote this due time's row first
        session.rollback()
        run_owner.release(owner)
        return PlannedImport.BUSY
    except BaseException:
        run_owner.release(owner)
        raise
    return task_id, owner, register.code


def _wait(session: Session, task: ScheduledTask, reason: str, register_code: str) -> PlannedImport:
    """Journaled when it starts waiting for that reason, not at every tick."""
    if task.status == ScheduledStatus.WAITING and task.last_error == reason:
        session.rollback()
        return PlannedImport.WAITING
    task.status, task.last_error = ScheduledStatus.WAITING, reason
    record(
        session, "planned_import", outcome="refused", actor=SYSTEM, register_code=register_code, reason=reason
    )
    session.commit()
    return PlannedImport.WAITING


def _give_back(session: Session, task_id: int, reason: str) -> None:
    """Another import or export is running: the next tick looks again (nothing journaled —
    that run journals itself)."""
    session.rollback()
    task = session.get(ScheduledTask, task_id)
    task.status, task.owner, task.last_error = ScheduledStatus.WAITING, None, reason[:400]
    task.attempts -= 1
    session.commit()


def _failed(session: Session, task_id: int, register_code: str, error) -> None:
    """Tried again 5 min later, then 10, 20 … at most an hour apart; the opening page shows it."""
    session.rollback()
    now = utcnow()
    task = session.get(ScheduledTask, task_id)
    delay = min(RETRY_FIRST * 2 ** max(task.attempts - 1, 0), RETRY_MAX)
    task.status, task.owner = ScheduledStatus.FAILED, None
    task.last_error, task.next_attempt_at = str(error)[:400], now + delay
    record(
        session,
        "planned_import",
        outcome="failed",
        actor=SYSTEM,
        register_code=register_code,
        reason=str(error)[:400],
        attempts=task.attempts,
        next_attempt_at=task.next_attempt_at.isoformat(),
    )
    session.commit()


def _done(session: Session, task_id: int) -> None:
    session.rollback()
    task = session.get(ScheduledTask, task_id)
    task.status, task.owner, task.finished_at, task.last_error = ScheduledStatus.DONE, None, utcnow(), None
    session.commit()


def planned_import_notice(session: Session) -> ScheduledTask | None:
    """The planned import's last due time when it did not succeed: the opening page shows it."""
    from app.services.scheduled import latest_task

    task = latest_task(session, ScheduledKind.PLANNED_IMPORT)
    if task is None or task.status not in (ScheduledStatus.FAILED, ScheduledStatus.WAITING):
        return None
    return task
