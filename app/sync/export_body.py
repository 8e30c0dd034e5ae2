"""The export batch body (ExportBatch of docs/openapi.yaml), built from closed days."""

import hashlib
import json

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

from app.models import (
    CardTransaction,
    CashCount,
    CashierSession,
    CashMovement,
    OpeningLine,
    SafeMovement,
    Ticket,
)
from app.services.signing import cashier_session_document
from app.states import TicketStatus

FINAL_STATUSES = (TicketStatus.FINISHED, TicketStatus.CANCELLED)


def canonical_json(data) -> str:
    """Sorted keys and no spaces: both sides hash the same text for the same content."""
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def iso(moment) -> str | None:
    return moment.strftime("%Y-%m-%dT%H:%M:%S.%fZ") if moment else None


def _person(code, name):
    return {"code": code, "name": name or ""}


def build_batch(session: Session, batch_id, box, register_code, shop_code, days, person, created_at) -> dict:
    return {
        "batch_id": batch_id,
        "register_code": register_code,
        "shop_code": shop_code or "",
        "box": {"terminal": box.terminal, "device": box.device_name},
        "created_at": iso(created_at),
        "created_by": _person(person.code, person.name),
        "days": [_day(session, day) for day in days],
    }


def _day(session: Session, day) -> dict:
    tickets = session.scalars(
        select(Ticket)
        .where(Ticket.day_id == day.id, Ticket.status.in_(FINAL_STATUSES), Ticket.training.is_(False))
        .order_by(Ticket.number)
        .options(
            selectinload(Ticket.lines),
            selectinload(Ticket.payments),
            selectinload(Ticket.taxes),
            selectinload(Ticket.original),
        )
    )
    movements = session.scalars(
        select(CashMovement).where(CashMovement.day_id == day.id).order_by(CashMovement.number)
    )
    counts = session.scalars(select(CashCount).where(CashCount.day_id == day.id).order_by(CashCount.id))
    safe = [
        _safe_movement(m)
        for m in session.scalars(
            select(SafeMovement).where(SafeMovement.day_id == day.id).order_by(SafeMovement.number)
        )
    ]
    cashier_sessions = list(
        session.scalars(
            select(CashierSession)
            .where(CashierSession.day_id == day.id)
            .order_by(CashierSession.number)
            .options(selectinload(CashierSession.lines))
        )
    )
    session_uuids = {s.id: s.uuid for s in cashier_sessions}
    cards = [
        _card(c)
        for c in session.scalars(
            select(CardTransaction).where(CardTransaction.day_id == day.id).order_by(CardTransaction.number)
        )
    ]
    return {
        "uuid": day.uuid,
        "number": day.number,
        "opened_at": iso(day.opened_at),
        "opened_by": _person(day.opened_by_code, day.opened_by_name),
        "opening_float_cents": day.opening_float_cents,
        "closed_at": iso(day.closed_at),
        "closed_by": _person(day.closed_by_code, day.closed_by_name),
        "forced": day.forced,
        "ticket_count": day.ticket_count,
        "sales_total_cents": day.sales_total_cents,
        "withdrawal_cents": day.withdrawal_cents,
        "grand_total_cents": day.grand_total_cents,
        "tickets": [
            _in_session(ticket_document(t), session_uuids.get(t.cashier_session_id)) for t in tickets
        ],
        "cash_movements": [_movement(m) for m in movements],
        "cash_counts": [_count(c) for c in counts],
        "closing_lines": [
            {
                "method_code": line.method_code,
                "opening_cents": line.opening_cents,
                "payments_cents": line.payments_cents,
                "cash_in_cents": line.cash_in_cents,
                "cash_out_cents": line.cash_out_cents,
                "expected_cents": line.expected_cents,
                "counted_cents": line.counted_cents,
                "difference_cents": line.difference_cents,
                "difference_reason": line.difference_reason,
                "withdrawal_cents": line.withdrawal_cents,
                "remaining_cents": line.remaining_cents,
            }
            for line in day.closing_lines
        ],
        "opening_lines": [
            {
                "method_code": line.method_code,
                "float_cents": line.float_cents,
                "counted_cents": line.counted_cents,
                "difference_cents": line.difference_cents,
                "difference_reason": line.difference_reason,
            }
            for line in session.scalars(
                select(OpeningLine).where(OpeningLine.day_id == day.id).order_by(OpeningLine.method_code)
            )
        ],
        # Contract 1.5.0's documents, each only on a day that has some: a day exported before
        # keeps the text head office compares a day sent again with (docs/sync.md).
        **_when_present("safe_movements", safe),
        **_when_present("cashier_sessions", [_cashier_session(s, day.uuid) for s in cashier_sessions]),
        # The Liste des transactions' documents (the card payments and refunds themselves are
        # the tickets' payments).
        **_when_present("card_transactions", cards),
    }


def _when_present(key: str, documents: list) -> dict:
    """A day's list of a family added to the contract after days were first exported: the key
    only when the day has some, so an older day sent again is the text head office holds."""
    return {key: documents} if documents else {}


def _in_session(document: dict, session_uuid: str | None) -> dict:
    """A ticket made in a cashier session names it (contract 1.5.0); others are unchanged."""
    return {**document, "cashier_session_uuid": session_uuid} if session_uuid else document


def _cashier_session(s, day_uuid: str) -> dict:
    """A cashier session as exported: the document its signed records read (docs/cashier-sessions.md)."""
    document = cashier_session_document(s, day_uuid)
    return {
        "uuid": s.uuid,
        "number": s.number,
        "cashier": _person(s.staff_code, s.staff_name),
        "status": s.status,
        "currency": s.currency,
        "opened_at": iso(s.opened_at),
        "initial_cents": s.initial_cents,
        "deposit_cents": s.deposit_cents,
        "closed_at": iso(s.closed_at),
        "closed_by": _person(s.closed_by_code, s.closed_by_name) if s.closed_by_code else None,
        "lines": document["lines"],
    }


def ticket_document(ticket) -> dict:
    """A finished or cancelled ticket as the export carries it, and as its signature reads it
    (nf525.ticket_fields). A training ticket is never exported; its signature reads it with
    its training number and flag (the flag chooses its chain)."""
    return {
        "uuid": ticket.uuid,
        "number": ticket.training_number if ticket.training else ticket.number,
        **({"training": True} if ticket.training else {}),
        "kind": ticket.kind,
        "status": ticket.status,
        "original_uuid": ticket.original.uuid if ticket.original else None,
        "seller": _person(ticket.seller_code, ticket.seller_name),
        "created_at": iso(ticket.created_at),
        "finished_at": iso(ticket.finished_at),
        "discount_cents": ticket.discount_cents,
        "total_cents": ticket.total_cents,
        "cancel_reason": ticket.cancel_reason,
        "lines": [
            {
                "position": line.position,
                "product_code": line.product_code,
                "barcode": line.barcode,
                "label": line.label,
                "category_code": line.category_code,
                "quantity_milli": line.quantity_milli,
                "unit_price_cents": line.unit_price_cents,
                "discount_cents": line.discount_cents,
                "vat_rate_bp": line.vat_rate_bp,
                "total_cents": line.total_cents,
            }
            for line in ticket.lines
        ],
        "payments": [
            {
                "uuid": p.uuid,
                "method_code": p.method_code,
                "method_name": p.method_name,
                "amount_cents": p.amount_cents,
                "tendered_cents": p.tendered_cents,
                "change_cents": p.change_cents,
                "reference": p.reference,
                "expires_on": p.expires_on.isoformat() if p.expires_on else None,
                "created_at": iso(p.created_at),
                # Only on a titre-service (contract 1.4.0): every other payment keeps the shape
                # it was exported and signed with (nf525.ticket_fields).
                **({"titre_service_issuer": p.titre_service_issuer} if p.titre_service_issuer else {}),
            }
            for p in ticket.payments
        ],
        "taxes": [
            {
                "rate_bp": t.rate_bp,
                "base_cents": t.base_cents,
                "tax_cents": t.tax_cents,
                "total_cents": t.total_cents,
            }
            for t in ticket.taxes
        ],
    }


def _document_shape(*fields: str):
    """How a cash, safe or card document is exported: its uuid and number, `fields` (each
    exported under its column's name, in this order), who wrote it and when."""

    def shape(row) -> dict:
        return {
            "uuid": row.uuid,
            "number": row.number,
            **{name: getattr(row, name) for name in fields},
            "created_at": iso(row.created_at),
            "created_by": _person(row.created_by_code, row.created_by_name),
        }

    return shape


_PAYER = ("payer_kind", "payer", "payer_code")
_movement = _document_shape(
    "kind", "method_code", "amount_cents", "reason", *_PAYER, "closing_withdrawal", "closing_difference"
)
_safe_movement = _document_shape(
    "kind", "method_code", "amount_cents", "reason", *_PAYER, "cash_movement_uuid", "at_closing"
)
_card = _document_shape("status", "method_code", "amount_cents", "cancels_uuid", "reason")


def _count(c) -> dict:
    return {
        "uuid": c.uuid,
        "moment": c.moment,
        "method_code": c.method_code,
        "counted_cents": c.counted_cents,
        "item_count": c.item_count,
        "lines": [{"value_cents": line.value_cents, "quantity": line.quantity} for line in c.lines],
        "counted_at": iso(c.counted_at),
        "counted_by": _person(c.counted_by_code, c.counted_by_name),
    }
