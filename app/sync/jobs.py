"""The scheduler process (`flask --app wsgi scheduler`): APScheduler in ONE process of its
own, never inside gunicorn workers, where it would run once per worker."""

import logging
import signal

from apscheduler.schedulers.blocking import BlockingScheduler
from flask import current_app

from app.extensions import db
from app.sync.client import HeadOfficeClient
from app.sync.exporting import retry_pending_exports

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


JOBS = {"retry_exports": retry_exports_job}


def run_once(app) -> dict:
    return {name: job(app) for name, job in JOBS.items()}


def run_scheduler(app) -> None:
    scheduler = BlockingScheduler(timezone="UTC")
    tick = current_app.config["SCHEDULER_TICK_SECONDS"]
    for name, job in JOBS.items():
        # The job itself decides what is due (back-off lives on the batch), so a short
        # tick costs one small query; coalesce + one instance: never two runs at once.
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

    def _stop(signum, _frame):
        log.info("signal %s: scheduler stopping", signum)
        scheduler.shutdown(wait=False)

    signal.signal(signal.SIGTERM, _stop)
    signal.signal(signal.SIGINT, _stop)
    log.info("scheduler started, tick %ss", tick)
    scheduler.start()


def _now():
    from datetime import datetime, timezone

    return datetime.now(timezone.utc)
