"""Progress of an import or export as the synchronisation window shows it, and running one
in the background of the web process so the window can poll it."""

import threading

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import raw_cursor, sql_time
from app.models import SyncRun, new_uuid, utcnow
from app.services.errors import DomainError, StateForbids
from app.services.journal import record, refuse
from app.states import SyncRunKind, SyncRunStatus, SyncStep
from app.sync import run_owner

# A run whose process died (killed, power cut, worker recycled) never says how it ended.
OWNER_GONE = _l(
    "Interrompu : le processus qui s'en chargeait s'est arrêté (redémarrage, "
    "coupure de courant ou arrêt forcé). Rien n'est perdu : recommencez."
)
CRASHED = _l(
    "Interrompu par une erreur interne de la caisse (voir le journal). Rien n'est perdu : recommencez."
)

_RUNNING = f"SELECT id, uuid, kind, register_code, person_code FROM sync_run WHERE status = '{SyncRunStatus.RUNNING}'"
_ABANDON = (
    f"UPDATE sync_run SET status = '{SyncRunStatus.FAILED}', error = ?, finished_at = ?"
    f" WHERE id = ? AND status = '{SyncRunStatus.RUNNING}'"
)
_NEW_RUN = (
    "INSERT INTO sync_run (uuid, kind, register_code, person_code, status, step, percent, started_at)"
    f" VALUES (?, ?, ?, ?, '{SyncRunStatus.RUNNING}', '{SyncStep.START}', 0, ?)"
)


def start_run(session: Session, kind: SyncRunKind, register_code: str, person_code: str) -> SyncRun:
    """One import or export at a time: a second tap or a second tablet is told so.

    Returns the run as written, outside the ORM session: the window is drawn from it at once
    (plain SQL, as on the till's other answered-at-once actions); the work that follows it
    reads it back with get_run. A run whose owner process is gone blocks nobody: it is
    marked failed, with the reason, and this one starts (app/sync/run_owner.py)."""
    now = utcnow()
    cursor = raw_cursor(session)
    for row in cursor.execute(_RUNNING).fetchall():
        if run_owner.owner_alive(row["uuid"]):
            refuse(
                session,
                StateForbids(_l("Une synchronisation est déjà en cours.")),
                kind,
                actor=person_code,
                register_code=register_code,
            )
        _mark_owner_gone(
            session, row["id"], row["uuid"], row["kind"], row["register_code"], row["person_code"]
        )
    run = SyncRun(
        uuid=new_uuid(),
        kind=kind,
        register_code=register_code or "",
        person_code=person_code or "",
        status=SyncRunStatus.RUNNING,
        step=SyncStep.START,
        percent=0,
        started_at=now,
    )
    run_owner.claim(run.uuid)  # before the row: a row never says "running" without an owner
    try:
        cursor.execute(_NEW_RUN, (run.uuid, run.kind, run.register_code, run.person_code, sql_time(now)))
        run.id = cursor.lastrowid
        session.commit()
    except BaseException:
        run_owner.release(run.uuid)
        raise
    return run


def _mark_owner_gone(
    session: Session, run_id, run_uuid, kind, register_code, person_code, reason=OWNER_GONE
) -> None:
    """Inside the caller's (write) transaction, which commits it."""
    raw_cursor(session).execute(_ABANDON, (str(reason)[:400], sql_time(utcnow()), run_id))
    # The journal keeps the French source, whatever the screen's language.
    french = getattr(reason, "_args", (str(reason),))[0]
    record(
        session,
        kind,
        outcome="failed",
        actor=person_code or None,
        register_code=register_code or None,
        run=run_uuid,
        reason=french[:400],
    )


def progress(session: Session, run: SyncRun, step: str, percent: int) -> None:
    run.step, run.percent = step, percent
    session.commit()


def finish_run(run: SyncRun) -> None:
    """The caller commits, then calls end_ownership(run.uuid)."""
    run.status, run.step, run.percent, run.finished_at = SyncRunStatus.DONE, SyncStep.DONE, 100, utcnow()


def end_ownership(run_uuid: str) -> None:
    """After the run's end is committed: from now on its row speaks for itself."""
    run_owner.release(run_uuid)


def fail_run(session: Session, run: SyncRun, error) -> None:
    session.rollback()
    run.status, run.error, run.finished_at = SyncRunStatus.FAILED, str(error)[:400], utcnow()
    run_uuid = run.uuid  # read before the commit expires it: reading after would BEGIN again
    session.commit()
    end_ownership(run_uuid)


def get_run(session: Session, run_uuid: str) -> SyncRun | None:
    return session.scalars(select(SyncRun).where(SyncRun.uuid == run_uuid)).first()


def watch_run(session: Session, run_uuid: str) -> SyncRun | None:
    """The run as the progress window shows it: one still "running" whose owner process is
    gone is marked failed there and then, so the window says so instead of spinning."""
    run = get_run(session, run_uuid)
    if run is not None and run.status == SyncRunStatus.RUNNING and not run_owner.owner_alive(run_uuid):
        _mark_owner_gone(session, run.id, run.uuid, run.kind, run.register_code, run.person_code)
        session.commit()
        run = get_run(session, run_uuid)
    return run


def settle_run(session: Session, run_uuid: str) -> None:
    """After the work returned or raised, in the process that owned it: a run the work left
    "running" (an unexpected exception) is failed, and the lock goes back either way."""
    try:
        if run_owner.holds(run_uuid):
            session.rollback()
            run = get_run(session, run_uuid)
            if run is not None and run.status == SyncRunStatus.RUNNING:
                _mark_owner_gone(
                    session, run.id, run.uuid, run.kind, run.register_code, run.person_code, reason=CRASHED
                )
                session.commit()
    finally:
        end_ownership(run_uuid)


def background_thread(target, run_uuid, *args) -> threading.Thread:
    """A thread (not started) that runs target(run_uuid, *args) with its own app context and
    database session; the request that prepares it answers at once with the progress window."""
    app = current_app._get_current_object()

    def work():
        from app.extensions import db

        with app.app_context():
            try:
                target(run_uuid, *args)
            except DomainError as error:  # a refusal: the run row already says why
                app.logger.info("%s refused: %s", getattr(target, "__name__", target), error)
            except Exception:
                app.logger.exception("background %s failed", getattr(target, "__name__", target))
            finally:
                settle_run(db.session, run_uuid)
                db.session.remove()

    return threading.Thread(target=work, daemon=True, name="comptoir-sync")
