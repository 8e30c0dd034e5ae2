"""Signing what the shop's documents say (docs/integrity.md): the rule side of the chains —
which chain a document joins, what its signed fields are, and what the person is told when
the box's clock is before the last signed record (nothing may be added to a signed period)."""

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

import nf525
from app.integrity.chain import ClockWentBack, Signed, append
from app.models import utcnow
from app.services.errors import StateForbids
from app.services.journal import refuse
from app.states import TicketStatus

SOFTWARE = "Comptoir 0.1.0"  # printed on every receipt, with the signature extract


def sign_ticket(session: Session, register_code: str, ticket: dict) -> Signed:
    """A finished sale or return, or a cancellation, joins the register's ticket chain — or,
    for a training ticket (mode école), the training chain, never the ticket chain.
    `ticket` has the export's ticket shape (nf525.ticket_fields reads it)."""
    kind = "cancel" if ticket["status"] == TicketStatus.CANCELLED else ticket["kind"]
    chain = "training" if ticket.get("training") else "ticket"
    return sign(
        session,
        register_code,
        chain,
        kind,
        nf525.ticket_fields(ticket),
        ticket["finished_at"],
        ticket["uuid"],
    )


def sign(
    session: Session, register_code: str, chain: str, kind: str, fields: dict, at, subject_uuid=None
) -> Signed:
    try:
        return append(session, register_code, chain, kind, fields, at, subject_uuid)
    except ClockWentBack as late:
        refuse(
            session,
            StateForbids(
                _l(
                    "L'horloge de la caisse indique une heure antérieure au dernier document signé (%(last)s) :"
                    " faites corriger la date et l'heure avant de continuer."
                ),
                last=late.last_at,
            ),
            "clock_went_back",
            register_code=register_code,
            chain=chain,
            last_signed_chain=late.chain,
            last_signed_at=late.last_at,
        )


def sign_cash_movement(session: Session, movement, day_uuid: str) -> Signed:
    """A cash-in, a cash-out or the withdrawal at closing joins the cash chain as written."""
    return sign(
        session,
        movement.register_code,
        "cash",
        "movement",
        nf525.cash_movement_fields(cash_movement_document(movement, day_uuid)),
        movement.created_at,
        movement.uuid,
    )


def sign_cash_count(session: Session, register_code: str, count, day_uuid: str) -> Signed:
    """A count of one payment method (and its grid) joins the cash chain as written."""
    return sign(
        session,
        register_code,
        "cash",
        "count",
        nf525.cash_count_fields(cash_count_document(count, day_uuid)),
        count.counted_at,
        count.uuid,
    )


def sign_cashier_session(session: Session, cashier_session, day_uuid: str, kind: str) -> Signed:
    """A cashier's session joins the cash chain when it opens ("session_open") and when it
    is closed ("session_close"), each time with what it is from then on."""
    document = cashier_session_document(cashier_session, day_uuid)
    return sign(
        session,
        cashier_session.register_code,
        "cash",
        kind,
        nf525.cashier_session_fields(document, kind),
        cashier_session.opened_at if kind == "session_open" else cashier_session.closed_at,
        cashier_session.uuid,
    )


def cashier_session_document(cashier_session, day_uuid: str) -> dict:
    """The row as nf525.cashier_session_fields reads it (and the export carries it)."""
    return {
        "uuid": cashier_session.uuid,
        "number": cashier_session.number,
        "day_uuid": day_uuid,
        "staff_code": cashier_session.staff_code,
        "staff_name": cashier_session.staff_name,
        "status": cashier_session.status,
        "currency": cashier_session.currency,
        "opened_at": cashier_session.opened_at,
        "initial_cents": cashier_session.initial_cents,
        "deposit_cents": cashier_session.deposit_cents,
        "closed_at": cashier_session.closed_at,
        "closed_by_code": cashier_session.closed_by_code,
        "closed_by_name": cashier_session.closed_by_name,
        "lines": [
            {
                "method_code": line.method_code,
                "method_name": line.method_name,
                "initial_cents": line.initial_cents,
                "payments_cents": line.payments_cents,
                "final_cents": line.final_cents,
                "real_cents": line.real_cents,
                "withdrawal_cents": line.withdrawal_cents,
                "remaining_cents": line.remaining_cents,
            }
            for line in cashier_session.lines
        ],
    }


def cash_movement_document(movement, day_uuid: str) -> dict:
    """The row as nf525.cash_movement_fields reads it: the signing and the verifier agree."""
    return {
        "number": movement.number,
        "kind": movement.kind,
        "method_code": movement.method_code,
        "amount_cents": movement.amount_cents,
        "reason": movement.reason,
        "closing_withdrawal": movement.closing_withdrawal,
        "closing_difference": movement.closing_difference,
        "day_uuid": day_uuid,
        "created_at": movement.created_at,
        "created_by_code": movement.created_by_code,
        "payer_kind": movement.payer_kind,
        "payer": movement.payer,
        "payer_code": movement.payer_code,
    }


def sign_safe_movement(session: Session, movement, day_uuid: str | None) -> Signed:
    """A deposit into or a withdrawal from the safe joins the register's safe chain as written."""
    return sign(
        session,
        movement.register_code,
        "safe",
        movement.kind,
        nf525.safe_movement_fields(safe_movement_document(movement, day_uuid)),
        movement.created_at,
        movement.uuid,
    )


def safe_movement_document(movement, day_uuid: str | None) -> dict:
    """The row as nf525.safe_movement_fields reads it: the signing and the verifier agree."""
    return {
        "number": movement.number,
        "kind": movement.kind,
        "method_code": movement.method_code,
        "amount_cents": movement.amount_cents,
        "reason": movement.reason,
        "payer_kind": movement.payer_kind,
        "payer": movement.payer,
        "payer_code": movement.payer_code,
        "cash_movement_uuid": movement.cash_movement_uuid,
        "at_closing": movement.at_closing,
        "day_uuid": day_uuid,
        "created_at": movement.created_at,
        "created_by_code": movement.created_by_code,
    }


def sign_card_transaction(session: Session, document, day_uuid: str) -> Signed:
    """A document of the Liste des transactions joins the register's card chain as written."""
    return sign(
        session,
        document.register_code,
        "card",
        document.status,
        nf525.card_transaction_fields(card_transaction_document(document, day_uuid)),
        document.created_at,
        document.uuid,
    )


def card_transaction_document(document, day_uuid: str) -> dict:
    """The row as nf525.card_transaction_fields reads it: the signing and the verifier agree."""
    return {
        "number": document.number,
        "status": document.status,
        "method_code": document.method_code,
        "amount_cents": document.amount_cents,
        "cancels_uuid": document.cancels_uuid,
        "reason": document.reason,
        "day_uuid": day_uuid,
        "created_at": document.created_at,
        "created_by_code": document.created_by_code,
    }


def cash_count_document(count, day_uuid: str) -> dict:
    return {
        "moment": count.moment,
        "method_code": count.method_code,
        "counted_cents": count.counted_cents,
        "item_count": count.item_count,
        "day_uuid": day_uuid,
        "counted_at": count.counted_at,
        "counted_by_code": count.counted_by_code,
        "grid": [(line.value_cents, line.quantity) for line in count.lines],
    }


def sign_copy(
    session: Session,
    register_code: str,
    document_kind: str,
    payload: dict,
    original_uuid: str,
    copy_number: int,
    staff,
) -> Signed:
    """A reprint (DUPLICATA n°k) joins the copy chain: which document, which copy, who."""
    number = (
        (payload.get("ticket") or {}).get("number")
        if document_kind == "receipt"
        else payload.get("document_number")
    )
    return sign(
        session,
        register_code or "",
        "copy",
        document_kind,
        nf525.copy_fields(
            {
                "original_uuid": original_uuid,
                "document": document_kind,
                "original_number": number,
                "copy_number": copy_number,
                "by": staff.code,
                "by_name": staff.name,
            }
        ),
        utcnow(),
        original_uuid,
    )
