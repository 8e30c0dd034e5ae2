"""Progress of an import or export as the synchronisation window shows it, and running one
in the background of the web process so the window can poll it."""
import threading
from datetime import timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.database import from_sql_time, raw_cursor, sql_time
from app.models import SyncRun, new_uuid, utcnow
from app.services.errors import DomainError, StateForbids
from app.services.journal import refuse

# A run that has said nothing for this long died with its process (restart, power cut).
ABANDONED_AFTER = timedelta(minutes=10)


_RUNNING = "SELECT id, started_at FROM sync_run WHERE status = 'running'"
_ABANDON = "UPDATE sync_run SET status = 'failed', error = 'abandonnée', finished_at = ? WHERE id = ?"
_NEW_RUN = ("INSERT INTO sync_run (uuid, kind, register_code, person_code, status, step, percent, started_at)"
            " VALUES (?, ?, ?, ?, 'running', 'start', 0, ?)")


def start_run(session, kind: str, register_code: str, person_code: str) -> SyncRun:
    """One import or export at a time: a second tap or a second tablet is told so.

    Returns the run as written, outside the ORM session: the window is drawn from it at once
    (plain SQL, as on the till's other answered-at-once actions); the work that follows it
    reads it back with get_run."""
    now = utcnow()
    cursor = raw_cursor(session)
    for run_id, started_at in cursor.execute(_RUNNING).fetchall():
        if now - from_sql_time(started_at) < ABANDONED_AFTER:
            refuse(session, StateForbids(_l("Une synchronisation est déjà en cours.")), kind,
                   actor=person_code, register_code=register_code)
        cursor.execute(_ABANDON, (sql_time(now), run_id))
    run = SyncRun(uuid=new_uuid(), kind=kind, register_code=register_code or "", person_code=person_code or "",
                  status="running", step="start", percent=0, started_at=now)
    cursor.execute(_NEW_RUN, (run.uuid, run.kind, run.register_code, run.person_code, sql_time(now)))
    run.id = cursor.lastrowid
    session.commit()
    return run


def progress(session, run: SyncRun, step: str, percent: int) -> None:
    run.step, run.percent = step, percent
    session.commit()


def finish_run(run: SyncRun) -> None:
    run.status, run.step, run.percent, run.finished_at = "done", "done", 100, utcnow()


def fail_run(session, run: SyncRun, error) -> None:
    session.rollback()
    run.status, run.error, run.finished_at = "failed", str(error)[:400], utcnow()
    session.commit()


def get_run(session, run_uuid: str) -> SyncRun | None:
    return session.scalars(select(SyncRun).where(SyncRun.uuid == run_uuid)).first()


def background_thread(target, *args) -> threading.Thread:
    """A thread (not started) that runs target(*args) with its own app context and database
    session; the request that prepares it answers at once with the progress window."""
    app = current_app._get_current_object()

    def work():
        from app.extensions import db
        with app.app_context():
            try:
                target(*args)
            except DomainError as error:  # a refusal: the run row already says why
                app.logger.info("%s refused: %s", getattr(target, "__name__", target), error)
            except Exception:
                app.logger.exception("background %s failed", getattr(target, "__name__", target))
            finally:
                db.session.remove()

    return threading.Thread(target=work, daemon=True, name="comptoir-sync")


STEP_LABELS = {
    "start": _l("Démarrage…"),
    "connect": _l("Connexion au serveur principal…"),
    "check": _l("Vérification de la personne…"),
    "download": _l("Téléchargement des données…"),
    "validate": _l("Contrôle des données…"),
    "save": _l("Enregistrement sur la caisse…"),
    "prepare": _l("Préparation des journées…"),
    "send": _l("Envoi au serveur principal…"),
    "done": _l("Terminé."),
}


def step_label(step: str) -> str:
    return str(STEP_LABELS.get(step, step))
