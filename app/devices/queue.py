"""The print queue as the rest of Comptoir sees it.

`enqueue` and `kick_drawer` are called by the selling and closing services inside their own
transaction: they add a row and never commit, never touch the printer, never fail a sale.
The device worker (app/devices/worker.py) owns the printer and sends the jobs.
`reprint`, `open_drawer` and `retry` are a manager's actions: checked, journaled, committed."""
import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import defer

from app.database import from_sql_time, raw_cursor, sql_time
from app.devices.layouts import DOCUMENT_KINDS
from app.devices.status import Status
from app.models import Box, PrintJob, VirtualPrint, new_uuid, utcnow
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.people import authorise, require_viewer

# The worker writes its heartbeat every 10 s; silent for longer, it is not running.
WORKER_SILENT_SECONDS = 35


def enqueue(session, kind: str, payload: dict, *, idempotency_key: str,
            document_uuid: str | None = None, copy_number: int = 0) -> PrintJob:
    """Queue a document in the caller's transaction; the same key twice gives the same job."""
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown print job kind {kind!r}")
    return _add(session, kind, payload, idempotency_key, document_uuid, copy_number)


def kick_drawer(session, *, reason: str, idempotency_key: str) -> PrintJob:
    """Open the drawer: goes before every document, and is dropped rather than fired late
    (after DRAWER_KICK_MAX_AGE_SECONDS) — a drawer opening by itself minutes later is a
    drawer left open in front of customers."""
    return _add(session, "drawer", {"reason": reason}, idempotency_key, None, 0)


def _add(session, kind, payload, idempotency_key, document_uuid, copy_number) -> PrintJob:
    """One INSERT in the caller's transaction, in plain SQL (a sale's Valider runs it); the
    same key again finds the job already queued. The job returned is for reading."""
    values = {"uuid": new_uuid(), "kind": kind, "idempotency_key": idempotency_key,
              "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
              "document_uuid": document_uuid, "copy_number": copy_number, "state": "queued",
              "attempts": 0, "interrupted": False, "created_at": utcnow()}
    # fetchall: a RETURNING statement is finished only once its rows are read.
    rows = raw_cursor(session).execute(_INSERT_NEW, (
        values["uuid"], kind, idempotency_key, values["payload"], document_uuid, copy_number,
        sql_time(values["created_at"]))).fetchall()
    if not rows:
        with session.no_autoflush:
            return session.scalar(select(PrintJob).where(PrintJob.idempotency_key == idempotency_key))
    return PrintJob(id=rows[0]["id"], **values)


_INSERT_NEW = ("INSERT INTO print_job (uuid, kind, idempotency_key, payload, document_uuid, copy_number, state,"
               " attempts, interrupted, created_at) VALUES (?, ?, ?, ?, ?, ?, 'queued', 0, 0, ?)"
               " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id")


def find_job(session, job_or_uuid) -> PrintJob | None:
    """A job given as itself, by its uuid, or by its document's uuid (the latest print)."""
    if isinstance(job_or_uuid, PrintJob):
        return job_or_uuid
    key = (job_or_uuid or "").strip()
    if not key:
        return None
    return session.scalar(
        select(PrintJob).where(or_(PrintJob.uuid == key, PrintJob.document_uuid == key))
        .where(PrintJob.kind != "drawer").order_by(PrintJob.copy_number.desc(), PrintJob.id.desc())
        .limit(1))


def _register_code(session):
    return session.scalar(select(Box.register_code).where(Box.id == 1))


def reprint(session, job_or_document_uuid, person_code: str, password: str) -> PrintJob:
    """Réimprimer: a new job, copy n+1 of the document, printed with DUPLICATA n."""
    register_code = _register_code(session)
    original = find_job(session, job_or_document_uuid)
    if original is None or original.kind == "drawer":
        refuse(session, InvalidInput(_l("Aucun document à réimprimer.")), "reprint",
               actor=person_code, register_code=register_code)
    staff = authorise(session, person_code, password, "reprint", "reprint",
                      register_code=register_code)
    document = original.document_uuid or original.uuid
    copies = session.scalar(select(func.max(PrintJob.copy_number)).where(
        or_(PrintJob.document_uuid == document, PrintJob.uuid == document))) or 0
    job = _add(session, original.kind, json.loads(original.payload), f"reprint:{document}:{copies + 1}",
               document, copies + 1)
    record(session, "reprint", actor=staff, register_code=register_code, subject_uuid=document,
           job_uuid=job.uuid, kind=job.kind, copy_number=job.copy_number)
    session.commit()
    return job


def open_drawer(session, person_code: str, password: str) -> PrintJob:
    """Ouvrir le tiroir, outside a sale: a manager's right, in the journal."""
    register_code = _register_code(session)
    staff = authorise(session, person_code, password, "open_drawer", "open_drawer",
                      register_code=register_code)
    job = kick_drawer(session, reason="manager", idempotency_key=f"drawer:{new_uuid()}")
    record(session, "open_drawer", actor=staff, register_code=register_code, subject_uuid=job.uuid)
    session.commit()
    return job


def retry(session, job_uuid: str, viewer) -> PrintJob:
    """Réessayer: a failed job goes back in the queue (and a waiting one is tried now), by
    the person signed in on the printer screen."""
    require_viewer(session, viewer, "reprint", "print_retry")
    job = session.scalar(select(PrintJob).where(PrintJob.uuid == (job_uuid or "")))
    if job is None:
        refuse(session, InvalidInput(_l("Ce travail d'impression n'existe pas.")), "print_retry")
    if job.state == "printed":
        refuse(session, StateForbids(_l("Ce document est déjà imprimé : utilisez Réimprimer.")),
               "print_retry", subject_uuid=job.uuid)
    if job.state in ("dropped", "printing") or job.kind == "drawer":
        refuse(session, StateForbids(_l("Ce travail ne peut pas être relancé.")), "print_retry",
               subject_uuid=job.uuid)
    record(session, "print_retry", actor=viewer, subject_uuid=job.uuid, previous_state=job.state,
           attempts=job.attempts, last_error=job.last_error)
    job.state, job.attempts, job.next_attempt_at = "queued", 0, None
    session.commit()
    return job


@dataclass(frozen=True)
class PrinterStatus:
    code: str
    detail: str | None
    queue_length: int
    failed: int
    checked_at: datetime | None

    @property
    def message(self) -> str:
        return Status(self.code).message

    @property
    def level(self) -> str:
        return "error" if self.code == "worker_down" else Status(self.code).level


# Plain SQL: the status strip draws it on every screen, and the ORM statement with its
# scalar subqueries cost more to build than to run.
_PRINTER_STATUS = (
    "SELECT (SELECT COUNT(*) FROM print_job WHERE state IN ('queued', 'printing')) AS waiting,"
    " (SELECT COUNT(*) FROM print_job WHERE state = 'failed') AS failed,"
    " d.code, d.detail, d.heartbeat_at, d.checked_at FROM (SELECT 1) LEFT JOIN device_status d ON d.id = 1")


def printer_status(session) -> PrinterStatus:
    """For the status strip on every screen: one query, four small answers."""
    row = raw_cursor(session).execute(_PRINTER_STATUS).fetchone()
    code, detail, heartbeat = row["code"], row["detail"], from_sql_time(row["heartbeat_at"])
    if code is None or heartbeat is None or \
            utcnow() - heartbeat > timedelta(seconds=WORKER_SILENT_SECONDS):
        code, detail = "worker_down", None
    return PrinterStatus(code, detail, row["waiting"], row["failed"], from_sql_time(row["checked_at"]))


def list_jobs(session, viewer, limit: int = 50) -> list[PrintJob]:
    """The queue as the printer screen lists it: documents with amounts, for a manager."""
    require_viewer(session, viewer, "reprint", "view_print_jobs")
    return list(session.scalars(select(PrintJob).options(defer(PrintJob.payload))
                                .order_by(PrintJob.id.desc()).limit(limit)))


def virtual_prints(session, viewer, limit: int = 5) -> list[VirtualPrint]:
    require_viewer(session, viewer, "reprint", "view_print_jobs")
    return list(session.scalars(select(VirtualPrint).options(defer(VirtualPrint.data))
                                .order_by(VirtualPrint.id.desc()).limit(limit)))


def job_to_preview(session, job_uuid: str, viewer) -> PrintJob | None:
    """A document of the queue as it prints (a drawer kick has nothing to show)."""
    require_viewer(session, viewer, "reprint", "view_print_jobs")
    job = session.scalar(select(PrintJob).where(PrintJob.uuid == job_uuid))
    return None if job is None or job.kind == "drawer" else job


def printer_kind() -> str:
    return (current_app.config.get("PRINTER") or {}).get("kind", "virtual")

