"""The one process that owns the printer (`flask --app wsgi printer serve`).

It takes jobs from the queue, drawer kicks first, and never holds a database transaction
while it talks to the printer: a printer that hangs for its whole timeout must not hold the
write lock a sale is waiting for. A job is marked `printing` just before its first byte
goes out; a job found `printing` at start-up was cut off by a crash and is printed again,
marked as such (nobody can know whether the paper came out)."""

import fcntl
import logging
import os
import time
from datetime import timedelta

from sqlalchemy import case, or_, select
from sqlalchemy.orm import Session

from app.devices.connections import PrinterProblem, connect
from app.devices.layouts import LayoutError
from app.devices.render import render_job
from app.devices.status import MESSAGES, Status
from app.extensions import db
from app.models import DeviceStatus, PrintJob, VirtualPrint, utcnow
from app.models.journal import record
from app.states import PrintJobKind, PrintJobState

log = logging.getLogger("comptoir.devices")
HEARTBEAT_SECONDS = 10


class AlreadyRunning(Exception):
    pass


class Skip(Exception):
    """The job changed between reading and sending (dropped, taken): nothing to send."""


def take_printer_lock(app):
    """Exactly one owner per box: a second `printer serve` (or a direct `printer test`)
    finds the lock held and stops. The kernel releases it when the process dies."""
    path = app.config.get("PRINTER_LOCK_FILE") or os.path.join(app.instance_path, "printer.lock")
    handle = open(path, "a+")
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        handle.seek(0)
        owner = handle.read().strip() or "?"
        handle.close()
        raise AlreadyRunning(owner)
    handle.seek(0)
    handle.truncate()
    handle.write(str(os.getpid()))
    handle.flush()
    return handle


def french(code: str) -> str:
    """The journal keeps the source wording whatever the screen's language."""
    message = MESSAGES.get(code)
    args = getattr(message, "_args", None)
    return args[0] if args else str(message or code)


class Worker:
    def __init__(self, app, connection=None):
        self.app = app
        self.config = app.config
        self.connection = connection or connect(self.config.get("PRINTER") or {"kind": "virtual"})
        self.status: Status | None = None
        self.printer_delay = 0.0
        self.printer_retry_at = 0.0
        self.next_status_at = 0.0
        self.next_heartbeat_at = 0.0

    # --- start, stop ------------------------------------------------------------------

    def start(self) -> None:
        self.recover()
        self._set_status(self.connection.status(), force=True)
        self.next_status_at = time.monotonic() + float(self.config["PRINTER_STATUS_SECONDS"])

    def stop(self) -> None:
        """A clean stop says so at once on every screen instead of after the heartbeat."""
        self._set_status(Status("worker_down"), force=True)

    def recover(self) -> None:
        session = db.session
        for job in session.scalars(select(PrintJob).where(PrintJob.state == PrintJobState.PRINTING)):
            if job.kind == PrintJobKind.DRAWER:
                job.state, job.last_error = (
                    PrintJobState.DROPPED,
                    "Service arrêté pendant l'ouverture du tiroir",
                )
            else:
                job.state, job.interrupted, job.next_attempt_at = PrintJobState.QUEUED, True, None
                job.last_error = "Service d'impression arrêté pendant l'envoi : réimpression marquée"
            record(
                session,
                "print_recovered",
                outcome="failed",
                subject_uuid=job.uuid,
                reason=job.last_error,
                kind=job.kind,
                document_uuid=job.document_uuid,
            )
        session.commit()

    # --- one turn of the loop ---------------------------------------------------------

    def tick(self) -> bool:
        """One look at the queue; True when a job was handled (look again at once)."""
        self.drop_stale_kicks()
        now = time.monotonic()
        if now < self.printer_retry_at:
            self._heartbeat()
            return False
        job = self._next_job()
        if job is None:
            if now >= self.next_status_at:
                self.next_status_at = now + float(self.config["PRINTER_STATUS_SECONDS"])
                self._set_status(self.connection.status())
            self._heartbeat()
            return False
        self._print(job)
        self._heartbeat()  # a long run of jobs must not look like a dead worker
        return True

    def drop_stale_kicks(self) -> None:
        session = db.session
        limit = utcnow() - timedelta(seconds=float(self.config["DRAWER_KICK_MAX_AGE_SECONDS"]))
        stale = list(
            session.scalars(
                select(PrintJob).where(
                    PrintJob.state == PrintJobState.QUEUED,
                    PrintJob.kind == PrintJobKind.DRAWER,
                    PrintJob.created_at < limit,
                )
            )
        )
        for job in stale:
            self._drop(session, job)
        session.commit()

    def _drop(self, session: Session, job) -> None:
        seconds = self.config["DRAWER_KICK_MAX_AGE_SECONDS"]
        job.state = PrintJobState.DROPPED
        job.last_error = (
            f"Tiroir non ouvert : demande de plus de {seconds:g} s "
            f"({self.status.message if self.status else 'imprimante indisponible'})"
        )[:400]
        record(session, "drawer_dropped", outcome="failed", subject_uuid=job.uuid, reason=job.last_error)

    def _next_job(self) -> int | None:
        session = db.session
        job_id = session.scalar(
            select(PrintJob.id)
            .where(
                PrintJob.state == PrintJobState.QUEUED,
                or_(PrintJob.next_attempt_at.is_(None), PrintJob.next_attempt_at <= utcnow()),
            )
            .order_by(case((PrintJob.kind == PrintJobKind.DRAWER, 0), else_=1), PrintJob.id)
            .limit(1)
        )
        session.rollback()
        return job_id

    def _print(self, job_id: int) -> None:
        session = db.session
        job = session.get(PrintJob, job_id)
        try:
            data, text = render_job(job, self.config)
        except LayoutError as error:
            job.state, job.last_error = PrintJobState.FAILED, str(error)[:400]
            record(
                session,
                "print_failed",
                outcome="failed",
                subject_uuid=job.uuid,
                reason=job.last_error,
                kind=job.kind,
            )
            session.commit()
            return
        uuid, kind = job.uuid, job.kind
        session.rollback()

        def claim():
            claimed = session.get(PrintJob, job_id)
            if claimed.state != PrintJobState.QUEUED:
                session.rollback()
                raise Skip()
            max_age = timedelta(seconds=float(self.config["DRAWER_KICK_MAX_AGE_SECONDS"]))
            if claimed.kind == PrintJobKind.DRAWER and utcnow() - claimed.created_at > max_age:
                self._drop(session, claimed)
                session.commit()
                raise Skip()
            claimed.state, claimed.started_at = PrintJobState.PRINTING, utcnow()
            claimed.attempts += 1
            session.commit()

        try:
            status = self.connection.send(data, before_write=claim)
        except Skip:
            return
        except PrinterProblem as problem:
            self._failed(job_id, problem)
            return
        except Exception as error:  # a bug or a driver surprise must not kill the owner
            log.exception("printing job %s", uuid)
            from app.devices.status import from_error

            self._failed(job_id, PrinterProblem(from_error(error), sent=True))
            return
        job = session.get(PrintJob, job_id)
        job.state, job.printed_at, job.last_error, job.next_attempt_at = (
            PrintJobState.PRINTED,
            utcnow(),
            None,
            None,
        )
        if self.connection.keeps_output:
            session.add(VirtualPrint(job_uuid=uuid, kind=kind, created_at=utcnow(), text=text, data=data))
            self._prune_virtual(session)
        session.commit()
        self.printer_delay, self.printer_retry_at = 0.0, 0.0
        self._set_status(status)

    def _failed(self, job_id: int, problem: PrinterProblem) -> None:
        session = db.session
        session.rollback()
        job = session.get(PrintJob, job_id)
        status = problem.status
        job.last_error = f"{french(status.code)}{' : ' + status.detail if status.detail else ''}"[:400]
        if job.state == PrintJobState.PRINTING:
            job.interrupted = job.interrupted or problem.sent
            if job.kind == PrintJobKind.DRAWER:
                # Never fired again: by the next try it would be late (and a failed kick
                # would sit in the strip's failure count with nothing a manager can do).
                job.state = PrintJobState.DROPPED
                record(
                    session, "drawer_dropped", outcome="failed", subject_uuid=job.uuid, reason=job.last_error
                )
            elif job.attempts >= int(self.config["PRINT_MAX_ATTEMPTS"]):
                job.state = PrintJobState.FAILED
                record(
                    session,
                    "print_failed",
                    outcome="failed",
                    subject_uuid=job.uuid,
                    reason=job.last_error,
                    kind=job.kind,
                    attempts=job.attempts,
                )
            else:
                job.state = PrintJobState.QUEUED
                job.next_attempt_at = utcnow() + timedelta(seconds=self._backoff(job.attempts))
        session.commit()
        self.printer_delay = min(
            self._backoff(1) if not self.printer_delay else self.printer_delay * 2,
            float(self.config["PRINT_RETRY_MAX_SECONDS"]),
        )
        self.printer_retry_at = time.monotonic() + self.printer_delay
        self._set_status(status)

    def _backoff(self, attempts: int) -> float:
        first = float(self.config["PRINT_RETRY_FIRST_SECONDS"])
        return min(first * 2 ** max(attempts - 1, 0), float(self.config["PRINT_RETRY_MAX_SECONDS"]))

    def _prune_virtual(self, session: Session) -> None:
        keep = int(self.config.get("VIRTUAL_PRINTS_KEPT", 50))
        oldest_kept = session.scalar(
            select(VirtualPrint.id).order_by(VirtualPrint.id.desc()).offset(keep).limit(1)
        )
        if oldest_kept is not None:
            session.execute(VirtualPrint.__table__.delete().where(VirtualPrint.id <= oldest_kept))

    # --- status row and journal -------------------------------------------------------

    def _set_status(self, status: Status, force: bool = False) -> None:
        changed = self.status is None or status.code != self.status.code
        if not (changed or force):
            return
        session = db.session
        row = session.get(DeviceStatus, 1) or DeviceStatus(id=1)
        now = utcnow()
        row.code, row.detail = status.code, (status.detail or None) and status.detail[:400]
        row.printer_kind = self.connection.kind
        row.checked_at = row.heartbeat_at = now
        row.worker_pid = os.getpid()
        session.add(row)
        if changed:
            # The journal keeps what the printer went through: paper out at 11:02, back at 11:05.
            record(
                session,
                "printer_status",
                outcome="ok" if status.ready else "failed",
                reason=french(status.code),
                detail=status.detail,
                printer=self.connection.describe(),
            )
        session.commit()
        self.status = status
        self.next_heartbeat_at = time.monotonic() + HEARTBEAT_SECONDS

    def _heartbeat(self) -> None:
        if time.monotonic() < self.next_heartbeat_at:
            return
        session = db.session
        row = session.get(DeviceStatus, 1)
        if row is not None:
            row.heartbeat_at = utcnow()
            row.worker_pid = os.getpid()
            session.commit()
        else:
            session.rollback()
        self.next_heartbeat_at = time.monotonic() + HEARTBEAT_SECONDS


def serve(app, stop_event) -> None:
    """Run until stop_event is set (SIGTERM): finish the job in hand, then say so."""
    worker = Worker(app)
    worker.start()
    poll = float(app.config["PRINTER_POLL_SECONDS"])
    log.info("printer worker started: %s", worker.connection.describe())
    while not stop_event.is_set():
        try:
            busy = worker.tick()
        except Exception:  # the database busy for too long, say: try again next turn
            log.exception("printer worker turn")
            db.session.rollback()
            busy = False
        if not busy:
            stop_event.wait(poll)
    worker.stop()
    log.info("printer worker stopped")
