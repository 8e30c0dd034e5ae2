"""The scheduler process (`flask --app wsgi scheduler`): APScheduler in ONE process of its
own, never inside gunicorn workers, where it would run once per worker.

Every job runs at each tick and decides from the database what is due: the export retries
(back-off on the batch), the automatic closing and the planned import (the hours head office
sets on the register, docs/sync.md « Scheduled work »). Reading the hour at each tick rather
than registering a cron trigger for it means a new hour from an import counts at once, and
a box switched off at the hour catches up at its next start — once."""

import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app

from app.extensions import db
from app.services.closing.automatic import AutoClose, close_day_automatically
from app.services.errors import DomainError
from app.sync.client import HeadOfficeClient
from app.sync.exporting import retry_pending_exports
from app.sync.planned_import import PlannedImport, run_planned_import

log = logging.getLogger("comptoir.scheduler")


def retry_exports_job(app) -> int:
    with app.app_context():
        try:
            with HeadOfficeClient.from_config(app.config) as client:
                sent = retry_pending_exports(db.session, client)
            for batch in sent:
                log.info("export %s acknowledged by head office", batch.id)
            return len(sent)
        finally:
            db.session.remove()


def auto_close_job(app) -> str:
    """« Clôture automatique de la journée » once its hour has come (app/services/closing/automatic.py)."""
    with app.app_context():
        try:
            outcome = close_day_automatically(db.session)
        except DomainError as error:  # e.g. the clock set back before the last Z: journaled there
            log.warning("automatic closing refused: %s", error)
            return "refused"
        finally:
            db.session.remove()
        if outcome != AutoClose.NOT_DUE:
            log.info("automatic closing: %s", outcome)
        return outcome


def planned_import_job(app) -> str:
    """The planned import once its hour has come, when the register's state allows it."""
    with app.app_context():
        try:
            outcome = run_planned_import(db.session, lambda: HeadOfficeClient.from_config(app.config))
        finally:
            db.session.remove()
        if outcome != PlannedImport.NOT_DUE:
            log.info("planned import: %s", outcome)
        return outcome


# Closing before importing: at a tick where both are due, the import then finds the day
# closed (and still waits for its export, as a person's Importer would).
JOBS = {
    "retry_exports": retry_exports_job,
    "auto_close": auto_close_job,
    "planned_import": planned_import_job,
}


def run_once(app) -> dict:
    return {name: job(app) for name, job in JOBS.items()}


def build_scheduler(app) -> BlockingScheduler:
    scheduler = BlockingScheduler(timezone="UTC")
    tick = app.config["SCHEDULER_TICK_SECONDS"]
    for name, job in JOBS.items():
        # The job itself decides what is due (back-off on the batch, hours on the register),
        # so a short tick costs one small query; coalesce + one instance: never two runs at once.
        scheduler.add_job(
            job,
            "interval",
            seconds=tick,
            args=[app],
            id=name,
            coalesce=True,
            max_instances=1,
            next_run_time=_now(),
        )
    return scheduler


def run_scheduler(app) -> None:
    scheduler = build_scheduler(app)

    def _stop(signum, _frame):
        log.info("signal %s: scheduler stopping", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("scheduler started, tick %ss", current_app.config["SCHEDULER_TICK_SECONDS"])
    scheduler.start()


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
