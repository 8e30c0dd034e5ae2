"""What a finished ticket sends to the printer: its data (the layout is the device layer's)
and, for cash, a drawer kick. Both are rows written in the ticket's own transaction. And the
last receipt, shown again on the selling screen after Valider."""

import json

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import raw_cursor
from app.devices.queue import enqueue, kick_drawer
from app.devices.render import render_text
from app.models import PrintJob
from app.states import PrintJobKind


def receipt_payload(session: Session, register_code: str, ticket: dict) -> dict:
    """The receipt's data around the ticket's: shop, box and register headers."""
    cursor = raw_cursor(session)
    row = cursor.execute(
        "SELECT s.name, s.address, s.vat_number, s.timezone, r.receipt_header, r.receipt_footer,"
        " b.terminal, b.device_name FROM box b LEFT JOIN shop s ON s.code = b.shop_code"
        " LEFT JOIN register r ON r.code = ? WHERE b.id = 1",
        (register_code,),
    ).fetchone()
    row = dict(row) if row else {}
    return {
        "shop": {
            "name": row.get("name") or "",
            "address": row.get("address") or "",
            "vat_number": row.get("vat_number") or "",
        },
        "header": row.get("receipt_header") or "",
        "footer": row.get("receipt_footer") or "",
        "terminal": row.get("terminal") or "",
        "device_name": row.get("device_name") or "",
        "register_code": register_code,
        "timezone": row.get("timezone") or "Europe/Paris",
        "ticket": ticket,
    }


def queue_receipt(session: Session, ticket_uuid: str, register_code: str, ticket: dict) -> PrintJob:
    return enqueue(
        session,
        PrintJobKind.RECEIPT,
        receipt_payload(session, register_code, ticket),
        idempotency_key=f"ticket:{ticket_uuid}:receipt",
        document_uuid=ticket_uuid,
    )


def queue_drawer_kick(session: Session, ticket_uuid: str, number: int) -> PrintJob:
    return kick_drawer(session, reason=f"ticket {number}", idempotency_key=f"ticket:{ticket_uuid}:drawer")


def last_receipt(session: Session, ticket_uuid: str | None) -> tuple[dict, str] | None:
    """The receipt of the ticket just finished on this screen, and its text as it prints."""
    if not ticket_uuid:
        return None
    job = session.scalars(
        select(PrintJob)
        .where(PrintJob.document_uuid == ticket_uuid, PrintJob.kind == PrintJobKind.RECEIPT)
        .order_by(PrintJob.id)
    ).first()
    if job is None:
        return None
    receipt = json.loads(job.payload)
    return receipt, render_text(PrintJobKind.RECEIPT, receipt)
