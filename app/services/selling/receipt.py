"""What a finished ticket sends to the printer: its data (the layout is the device layer's)
and, for cash, a drawer kick. Both are rows written in the ticket's own transaction."""

from sqlalchemy import select

from app.devices.queue import enqueue, kick_drawer
from app.models import Box, Register, Shop


def iso(moment) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ") if moment else None


def receipt_payload(session, ticket) -> dict:
    box, shop, register = session.execute(
        select(Box, Shop, Register).where(Box.id == 1)
        .outerjoin(Shop, Shop.code == Box.shop_code)
        .outerjoin(Register, Register.code == ticket.register_code)).first() or (None, None, None)
    return {
        "shop": {"name": shop.name if shop else "", "address": shop.address if shop else "",
                 "vat_number": shop.vat_number if shop else ""},
        "header": register.receipt_header if register else "",
        "footer": register.receipt_footer if register else "",
        "terminal": box.terminal if box else "", "device_name": box.device_name if box else "",
        "register_code": ticket.register_code,
        "timezone": shop.timezone if shop else "Europe/Paris",
        "ticket": {
            "uuid": ticket.uuid, "number": ticket.number, "kind": ticket.kind,
            "finished_at": iso(ticket.finished_at), "seller_name": ticket.seller_name,
            "original_number": ticket.original.number if ticket.original else None,
            "lines": [{"label": line.label, "quantity_milli": line.quantity_milli, "unit": line.unit,
                       "unit_price_cents": line.unit_price_cents, "discount_cents": line.discount_cents,
                       "total_cents": line.total_cents, "vat_rate_bp": line.vat_rate_bp}
                      for line in ticket.lines],
            "discount_cents": ticket.discount_cents, "total_cents": ticket.total_cents,
            "taxes": [{"rate_bp": t.rate_bp, "base_cents": t.base_cents, "tax_cents": t.tax_cents,
                       "total_cents": t.total_cents} for t in ticket.taxes],
            "payments": [{"method_name": p.method_name, "amount_cents": p.amount_cents,
                          "tendered_cents": p.tendered_cents, "change_cents": p.change_cents,
                          "reference": p.reference} for p in ticket.payments],
        },
    }


def queue_receipt(session, ticket, payload: dict):
    return enqueue(session, "receipt", payload, idempotency_key=f"ticket:{ticket.uuid}:receipt",
                   document_uuid=ticket.uuid)


def queue_drawer_kick(session, ticket):
    return kick_drawer(session, reason=f"ticket {ticket.number}", idempotency_key=f"ticket:{ticket.uuid}:drawer")
