"""The application's start and stop in the event journal (JET codes 10 and 40): each web
worker journals once when it has loaded the app and once when it exits cleanly — the hooks
are kiosk/gunicorn.conf.py's post_worker_init and worker_exit, so a worker gunicorn replaces
is a stop and a start. A process killed without a clean exit journals no stop: the next
start without a stop before it says so to whoever reads the journal."""

import os

from app.extensions import db
from app.models.journal import record


def journal_process(app, action: str, side: str | None = None) -> bool:
    """Best effort: a box whose database cannot be written must still start (and say why
    on its health page); the event is then missing, and the start is in the service log."""
    try:
        with app.app_context():
            try:
                record(
                    db.session,
                    action,
                    pid=os.getpid(),
                    side=side or os.environ.get("COMPTOIR_WEB_SIDE", "loopback"),
                )
                db.session.commit()
            finally:
                db.session.remove()
        return True
    except Exception:  # noqa: BLE001 — any database failure: the process runs on
        return False
