"""The print queue as the rest of Comptoir sees it.

`enqueue` and `kick_drawer` are called by the selling and closing services inside their own
transaction: they add a row and never commit, never touch the printer, never fail a sale.
The device worker (app/devices/worker.py) owns the printer and sends the jobs.
A manager's actions on the queue (Réimprimer, Ouvrir le tiroir, Réessayer) are rules: they
live in app/services/printing.py."""

import json
from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from app.database import from_sql_time, raw_cursor, sql_time
from app.devices.layouts import DOCUMENT_KINDS
from app.devices.status import Status
from app.models import PrintJob, new_uuid, utcnow
from app.states import PrintJobKind, PrintJobState

# The worker writes its heartbeat every 10 s; silent for longer, it is not running.
WORKER_SILENT_SECONDS = 35


def enqueue(
    session: Session,
    kind: str,
    payload: dict,
    *,
    idempotency_key: str,
    document_uuid: str | None = None,
    copy_number: int = 0,
) -> PrintJob:
    """Queue a document in the caller's transaction; the same key twice gives the same job."""
    if kind not in DOCUMENT_KINDS:
        raise ValueError(f"unknown print job kind {kind!r}")
    return add_job(session, kind, payload, idempotency_key, document_uuid, copy_number)


def kick_drawer(session: Session, *, reason: str, idempotency_key: str) -> PrintJob:
    """Open the drawer: goes before every document, and is dropped rather than fired late
    (after DRAWER_KICK_MAX_AGE_SECONDS) — a drawer opening by itself minutes later is a
    drawer left open in front of customers."""
    return add_job(session, PrintJobKind.DRAWER, {"reason": reason}, idempotency_key, None, 0)


def add_job(session: Session, kind, payload, idempotency_key, document_uuid, copy_number) -> PrintJob:
    """One INSERT in the caller's transaction, in plain SQL (a sale's Valider runs it); the
    same key again finds the job already queued. The job returned is for reading."""
    values = {
        "uuid": new_uuid(),
        "kind": kind,
        "idempotency_key": idempotency_key,
        "payload": json.dumps(payload, ensure_ascii=False, sort_keys=True, default=str),
        "document_uuid": document_uuid,
        "copy_number": copy_number,
        "state": PrintJobState.QUEUED,
        "attempts": 0,
        "interrupted": False,
        "created_at": utcnow(),
    }
    # fetchall: a RETURNING statement is finished only once its rows are read.
    rows = (
        raw_cursor(session)
        .execute(
            _INSERT_NEW,
            (
                values["uuid"],
                kind,
                idempotency_key,
                values["payload"],
                document_uuid,
                copy_number,
                sql_time(values["created_at"]),
            ),
        )
        .fetchall()
    )
    if not rows:
        with session.no_autoflush:
            return session.scalar(select(PrintJob).where(PrintJob.idempotency_key == idempotency_key))
    return PrintJob(id=rows[0]["id"], **values)


_INSERT_NEW = (
    "INSERT INTO print_job (uuid, kind, idempotency_key, payload, document_uuid, copy_number, state,"
    f" attempts, interrupted, created_at) VALUES (?, ?, ?, ?, ?, ?, '{PrintJobState.QUEUED}', 0, 0, ?)"
    " ON CONFLICT (idempotency_key) DO NOTHING RETURNING id"
)


def find_job(session: Session, job_or_uuid) -> PrintJob | None:
    """A job given as itself, by its uuid, or by its document's uuid (the latest print)."""
    if isinstance(job_or_uuid, PrintJob):
        return job_or_uuid
    key = (job_or_uuid or "").strip()
    if not key:
        return None
    return session.scalar(
        select(PrintJob)
        .where(or_(PrintJob.uuid == key, PrintJob.document_uuid == key))
        .where(PrintJob.kind != PrintJobKind.DRAWER)
        .order_by(PrintJob.copy_number.desc(), PrintJob.id.desc())
        .limit(1)
    )


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
    f"SELECT (SELECT COUNT(*) FROM print_job WHERE state IN ('{PrintJobState.QUEUED}', '{PrintJobState.PRINTING}'))"
    f" AS waiting, (SELECT COUNT(*) FROM print_job WHERE state = '{PrintJobState.FAILED}') AS failed,"
    " d.code, d.detail, d.heartbeat_at, d.checked_at FROM (SELECT 1) LEFT JOIN device_status d ON d.id = 1"
)


def printer_status(session: Session) -> PrinterStatus:
    """For the status strip on every screen: one query, four small answers."""
    row = raw_cursor(session).execute(_PRINTER_STATUS).fetchone()
    code, detail, heartbeat = row["code"], row["detail"], from_sql_time(row["heartbeat_at"])
    if code is None or heartbeat is None or utcnow() - heartbeat > timedelta(seconds=WORKER_SILENT_SECONDS):
        code, detail = "worker_down", None
    return PrinterStatus(code, detail, row["waiting"], row["failed"], from_sql_time(row["checked_at"]))


def printer_kind() -> str:
    return (current_app.config.get("PRINTER") or {}).get("kind", "virtual")
