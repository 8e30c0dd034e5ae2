"""What a finished ticket sends to the printer: its data (the layout is the device layer's)
and, for cash, a drawer kick. Both are rows written in the ticket's own transaction."""

from sqlalchemy import select

from app.devices.queue import enqueue, kick_drawer
from app.models import Box, Register, Shop


def iso(moment) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def receipt_payload(session, register_code: str, ticket: dict) -> dict:
    """The receipt's data around the ticket's: shop, box and register headers."""
    box, shop, register = session.execute(
        select(Box, Shop, Register).where(Box.id == 1)
        .outerjoin(Shop, Shop.code == Box.shop_code)
        .outerjoin(Register, Register.code == register_code)).first() or (None, None, None)
    return {
        "shop": {"name": shop.name if shop else "", "address": shop.address if shop else "",
                 "vat_number": shop.vat_number if shop else ""},
        "header": register.receipt_header if register else "",
        "footer": register.receipt_footer if register else "",
        "terminal": box.terminal if box else "", "device_name": box.device_name if box else "",
        "register_code": register_code,
        "timezone": shop.timezone if shop else "Europe/Paris",
        "ticket": ticket,
    }


def queue_receipt(session, ticket_uuid: str, register_code: str, ticket: dict):
    return enqueue(session, "receipt", receipt_payload(session, register_code, ticket),
                   idempotency_key=f"ticket:{ticket_uuid}:receipt", document_uuid=ticket_uuid)


def queue_drawer_kick(session, ticket_uuid: str, number: int):
    return kick_drawer(session, reason=f"ticket {number}", idempotency_key=f"ticket:{ticket_uuid}:drawer")
