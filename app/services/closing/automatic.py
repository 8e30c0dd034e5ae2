"""« Clôture automatique de la journée » (second manual, « Gestion des sessions de caisse »):
at the hour head office sets on the register, the scheduler closes the open day through the
same closing as a manager's Valider la fermeture (docs/closing.md, « Automatic closing »).

What it does with what it finds, chosen for the money:
- sellers still connected are disconnected, as a forced closing with the reason « Clôture
  automatique de la journée » (the manual's « il est possible de forcer la fermeture »);
- tickets in progress without payments (on screen or aside) are cancelled with that reason,
  numbered and signed like a manager's cancellation, their lines kept (an empty one is
  dropped, as Déconnecter drops it) — a day's tickets cannot outlive its Z;
- a ticket with payments holds the closing (the manual: « Si un ou plusieurs tickets sont en
  cours alors l'erreur … »): money was taken, only a person may finish or settle it. The
  closing waits, journaled once, and happens at the first tick after that ticket is done;
- nobody counts: no count is invented (expected is not made counted), nothing is withdrawn,
  the Z says « non compté »; the manager counts the drawer at the next opening.
"""

from datetime import timedelta
from enum import StrEnum

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import ScheduledTask, utcnow
from app.services.closing.cashier_session import close_sessions_by_system
from app.services.closing.closing import ClosingRequest, close_open_day
from app.services.errors import DomainError
from app.services.journal import record
from app.services.lifecycle import register_state, tickets_in_progress
from app.services.scheduled import SYSTEM, finished, last_due, task_at
from app.services.selling.aside import cancel_unpaid
from app.states import RegisterStateCode, ScheduledKind, ScheduledStatus

AUTO_CLOSE_REASON = "Clôture automatique de la journée"
RETRY_AFTER_REFUSAL = timedelta(minutes=5)
WAITING_MESSAGE = _l(
    "Clôture automatique de la journée en attente : %(count)s ticket(s) en cours avec des paiements. "
    "Terminez-les ou annulez leurs paiements ; la journée se fermera ensuite d'elle-même."
)


class AutoClose(StrEnum):
    """What one tick of the job did."""

    NOT_DUE = "not_due"  # off, no day open, or the open day began after the hour came
    CLOSED = "closed"
    WAITING = "waiting"  # a ticket with payments holds it


def close_day_automatically(session: Session) -> AutoClose:
    """One tick of the job. The check and the closing are one write transaction (BEGIN
    IMMEDIATE), so a manager's closing, a second scheduler process or a ticket finishing
    lands wholly before or wholly after it: the day is closed once, never twice."""
    session.rollback()
    session.connection()  # BEGIN IMMEDIATE: from here on nobody else writes
    state = register_state(session)
    due = _due(state)
    if due is None:
        session.rollback()
        return AutoClose.NOT_DUE
    task = task_at(session, ScheduledKind.AUTO_CLOSE, due)
    if finished(task) or _later(task):  # done (a clock set back shows it again), or refused just now
        session.rollback()
        return AutoClose.NOT_DUE
    day = state.open_day
    if task is None:
        task = ScheduledTask(
            kind=ScheduledKind.AUTO_CLOSE,
            due_at=due,
            register_code=state.register.code,
            status=ScheduledStatus.RUNNING,
            attempts=0,
            started_at=utcnow(),
        )
        session.add(task)
    task.attempts += 1
    in_progress = tickets_in_progress(session, day)
    paid = [ticket for ticket in in_progress if ticket.payments]
    if paid:
        return _wait(session, task, state, paid)
    for ticket in in_progress:
        if ticket.lines:
            cancel_unpaid(session, ticket, SYSTEM, AUTO_CLOSE_REASON)
        else:
            session.delete(ticket)
    session.flush()
    close_sessions_by_system(session, state, SYSTEM)  # cashier sessions (docs/cashier-sessions.md)
    request = ClosingRequest(force=True, force_reason=AUTO_CLOSE_REASON)
    try:
        close_open_day(session, state, SYSTEM, request, by_system=True)
    except DomainError as error:  # refused and journaled (a clock set back before the last Z…)
        _refused(session, due, state.register.code, error)
        raise
    task.status, task.finished_at, task.subject_uuid = ScheduledStatus.DONE, utcnow(), day.uuid
    task.last_error = None
    try:
        session.commit()
    except IntegrityError:  # another scheduler wrote this due time's row first
        session.rollback()
        return AutoClose.NOT_DUE
    return AutoClose.CLOSED


def _later(task) -> bool:
    return (
        task is not None
        and task.status == ScheduledStatus.FAILED
        and task.next_attempt_at is not None
        and task.next_attempt_at > utcnow()
    )


def _refused(session: Session, due, register_code: str, error) -> None:
    """The closing itself refused: tried again in 5 minutes, not at every tick — each refusal
    is journaled, some as signed events."""
    task = task_at(session, ScheduledKind.AUTO_CLOSE, due) or ScheduledTask(
        kind=ScheduledKind.AUTO_CLOSE, due_at=due, register_code=register_code, attempts=0
    )
    session.add(task)
    task.status, task.attempts = ScheduledStatus.FAILED, task.attempts + 1
    task.last_error, task.next_attempt_at = str(error)[:400], utcnow() + RETRY_AFTER_REFUSAL
    session.commit()


def _due(state):
    """The due time when the open day began before the last time the closing hour came."""
    if state.code != RegisterStateCode.OPEN or state.register is None:
        return None
    due = last_due(state.register.auto_close_time, state.timezone, utcnow())
    if due is None or state.open_day.opened_at >= due:
        return None
    return due


def _wait(session: Session, task: ScheduledTask, state, paid) -> AutoClose:
    """Journaled the first time only: the job asks again at every tick."""
    if task.status == ScheduledStatus.WAITING:
        session.rollback()
        return AutoClose.WAITING
    task.status = ScheduledStatus.WAITING
    task.last_error = str(WAITING_MESSAGE._args[0] % {"count": len(paid)})[:400]
    record(
        session,
        "auto_close",
        outcome="refused",
        actor=SYSTEM,
        register_code=state.register.code,
        subject_uuid=state.open_day.uuid,
        reason=task.last_error,
        tickets=[ticket.uuid for ticket in paid],
    )
    session.commit()
    return AutoClose.WAITING


def waiting_auto_close(session: Session, state) -> str | None:
    """What the open register page tells the manager while the automatic closing waits."""
    due = _due(state)
    if due is None:
        return None
    task = task_at(session, ScheduledKind.AUTO_CLOSE, due)
    if task is None or task.status != ScheduledStatus.WAITING:
        return None
    paid = [ticket for ticket in tickets_in_progress(session, state.open_day) if ticket.payments]
    return WAITING_MESSAGE % {"count": len(paid)} if paid else None


def automatic_closing_shown(state):
    """The last closed day waiting for export, when the scheduler closed it: the opening page
    tells the manager, who finds the register closed in the morning."""
    if state.code != RegisterStateCode.CLOSED_NOT_EXPORTED or not state.days_to_export:
        return None
    day = state.days_to_export[-1]
    return day if day.closed_by_code == SYSTEM.code else None
