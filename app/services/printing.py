"""A manager's actions on the print queue — Réimprimer, Ouvrir le tiroir, Réessayer — and
what the printer screen shows of it. Checked, journaled, committed; the queue itself (one
row per document) is app/devices/queue.py, the worker that prints is app/devices/worker.py."""

import json

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, defer

from app.devices.queue import add_job, find_job, kick_drawer, printer_kind, printer_status
from app.devices.render import preview_text
from app.models import Box, PrintJob, VirtualPrint, new_uuid
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.people import authorise, require_viewer
from app.services.signing import sign_copy
from app.states import PrintJobKind, PrintJobState, Right

# Screens ask here, never the device layer: the printer's state and kind come through.
__all__ = [
    "list_jobs",
    "open_drawer",
    "print_preview",
    "printer_kind",
    "printer_status",
    "reprint",
    "retry",
    "virtual_prints",
]


def _register_code(session: Session) -> str | None:
    return session.scalar(select(Box.register_code).where(Box.id == 1))


def reprint(session: Session, job_or_document_uuid, person_code: str, password: str) -> PrintJob:
    """Réimprimer: a new job, copy n+1 of the document, printed with DUPLICATA n°(n+1) and
    signed in the copy chain (the original's UUID and number, the copy's number, who)."""
    register_code = _register_code(session)
    original = find_job(session, job_or_document_uuid)
    if original is None or original.kind == PrintJobKind.DRAWER:
        refuse(
            session,
            InvalidInput(_l("Aucun document à réimprimer.")),
            "reprint",
            actor=person_code,
            register_code=register_code,
        )
    staff = authorise(session, person_code, password, Right.REPRINT, "reprint", register_code=register_code)
    document = original.document_uuid or original.uuid
    copies = (
        session.scalar(
            select(func.max(PrintJob.copy_number)).where(
                or_(PrintJob.document_uuid == document, PrintJob.uuid == document)
            )
        )
        or 0
    )
    payload = json.loads(original.payload)
    signed = sign_copy(session, register_code, original.kind, payload, document, copies + 1, staff)
    payload["copy_signature"] = signed.extract  # the copy prints its own record's extract
    job = add_job(session, original.kind, payload, f"reprint:{document}:{copies + 1}", document, copies + 1)
    record(
        session,
        "reprint",
        actor=staff,
        register_code=register_code,
        subject_uuid=document,
        job_uuid=job.uuid,
        kind=job.kind,
        copy_number=job.copy_number,
    )
    session.commit()
    return job


def open_drawer(session: Session, person_code: str, password: str) -> PrintJob:
    """Ouvrir le tiroir, outside a sale: a manager's right, in the journal."""
    register_code = _register_code(session)
    staff = authorise(
        session, person_code, password, Right.OPEN_DRAWER, "open_drawer", register_code=register_code
    )
    job = kick_drawer(session, reason="manager", idempotency_key=f"drawer:{new_uuid()}")
    record(session, "open_drawer", actor=staff, register_code=register_code, subject_uuid=job.uuid)
    session.commit()
    return job


def retry(session: Session, job_uuid: str, viewer) -> PrintJob:
    """Réessayer: a failed job goes back in the queue (and a waiting one is tried now), by
    the person signed in on the printer screen."""
    require_viewer(session, viewer, Right.REPRINT, "print_retry")
    job = session.scalar(select(PrintJob).where(PrintJob.uuid == (job_uuid or "")))
    if job is None:
        refuse(session, InvalidInput(_l("Ce travail d'impression n'existe pas.")), "print_retry")
    if job.state == PrintJobState.PRINTED:
        refuse(
            session,
            StateForbids(_l("Ce document est déjà imprimé : utilisez Réimprimer.")),
            "print_retry",
            subject_uuid=job.uuid,
        )
    if job.state in (PrintJobState.DROPPED, PrintJobState.PRINTING) or job.kind == PrintJobKind.DRAWER:
        refuse(
            session,
            StateForbids(_l("Ce travail ne peut pas être relancé.")),
            "print_retry",
            subject_uuid=job.uuid,
        )
    record(
        session,
        "print_retry",
        actor=viewer,
        subject_uuid=job.uuid,
        previous_state=job.state,
        attempts=job.attempts,
        last_error=job.last_error,
    )
    job.state, job.attempts, job.next_attempt_at = PrintJobState.QUEUED, 0, None
    session.commit()
    return job


def list_jobs(session: Session, viewer, limit: int = 50) -> list[PrintJob]:
    """The queue as the printer screen lists it: documents with amounts, for a manager."""
    require_viewer(session, viewer, Right.REPRINT, "view_print_jobs")
    return list(
        session.scalars(
            select(PrintJob).options(defer(PrintJob.payload)).order_by(PrintJob.id.desc()).limit(limit)
        )
    )


def virtual_prints(session: Session, viewer, limit: int = 5) -> list[VirtualPrint]:
    require_viewer(session, viewer, Right.REPRINT, "view_print_jobs")
    return list(
        session.scalars(
            select(VirtualPrint)
            .options(defer(VirtualPrint.data))
            .order_by(VirtualPrint.id.desc())
            .limit(limit)
        )
    )


def job_to_preview(session: Session, job_uuid: str, viewer) -> PrintJob | None:
    """A document of the queue as it prints (a drawer kick has nothing to show)."""
    require_viewer(session, viewer, Right.REPRINT, "view_print_jobs")
    job = session.scalar(select(PrintJob).where(PrintJob.uuid == job_uuid))
    return None if job is None or job.kind == PrintJobKind.DRAWER else job


def print_preview(session: Session, job_uuid: str, viewer) -> tuple[PrintJob, str] | None:
    """A document of the queue and its text as it prints, for Aperçu."""
    job = job_to_preview(session, job_uuid, viewer)
    return None if job is None else (job, preview_text(job))
