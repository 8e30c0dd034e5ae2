"""Liste des transactions: every card payment and refund of this box, newest first, a page at
a time, with the manual's filters (date range, status, cashier, amount). A card payment or a
return refunded on the card is read from the tickets' payments (a method flagged is_card),
the list's own documents from card_transaction: one UNION, nothing written at Valider."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, case, func, literal, null, or_, select, union_all
from sqlalchemy.orm import Session, aliased

from app.models import CardTransaction, Payment, PaymentMethod, RegisterDay, Ticket

# The shop's day in UTC: one rule for the Liste des DC/RC and this list.
from app.services.closing.listing import day_bounds
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.states import CardTransactionStatus, Right, TicketStatus

PAGE = 50
# What Annuler turns a transaction into; a cancellation itself is not cancelled.
CANCELLATION = {
    CardTransactionStatus.PAYMENT: CardTransactionStatus.PAYMENT_CANCEL,
    CardTransactionStatus.REFUND: CardTransactionStatus.REFUND_CANCEL,
}


@dataclass(frozen=True)
class CardFilter:
    """The filters as parsed (app/services/parsing.py reads the typed text)."""

    first_day: date | None = None  # the shop's days, both included
    last_day: date | None = None
    status: str | None = None  # a CardTransactionStatus
    cashier: str | None = None  # a staff code
    amount_cents: int | None = None
    page: int = 0


@dataclass(frozen=True)
class CardRow:
    uuid: str
    status: str
    amount_cents: int  # positive: the status says which way
    at: datetime
    cashier: str
    method: str
    method_code: str
    day_id: int
    ticket_number: int | None  # a ticket's payment; None for the list's own documents
    number: int | None  # the list's own documents
    cancelled_by: int | None  # the number of the document that cancelled it


def _transactions():
    """Every transaction, as the two SELECTs of one UNION with CardRow's columns."""
    card = PaymentMethod.is_card.is_(True)
    payments = (
        select(
            Payment.uuid.label("uuid"),
            case(
                (Payment.amount_cents < 0, literal(CardTransactionStatus.REFUND.value)),
                else_=literal(CardTransactionStatus.PAYMENT.value),
            ).label("status"),
            func.abs(Payment.amount_cents).label("amount_cents"),
            Ticket.finished_at.label("at"),
            Ticket.seller_code.label("cashier"),
            Payment.method_name.label("method"),
            Payment.method_code.label("method_code"),
            Ticket.day_id.label("day_id"),
            Ticket.number.label("ticket_number"),
            null().label("number"),
        )
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .join(PaymentMethod, and_(PaymentMethod.code == Payment.method_code, card))
        .where(
            Ticket.status == TicketStatus.FINISHED,
            Ticket.training.is_(False),
            Payment.amount_cents != 0,
        )
    )
    documents = select(
        CardTransaction.uuid,
        CardTransaction.status,
        CardTransaction.amount_cents,
        CardTransaction.created_at,
        CardTransaction.created_by_code,
        CardTransaction.method_name,
        CardTransaction.method_code,
        CardTransaction.day_id,
        null(),
        CardTransaction.number,
    )
    return payments, documents


def list_card_transactions(session: Session, viewer, filters: CardFilter, zone: str) -> tuple[list, bool]:
    """One page of transactions (rows with CardRow's fields) and whether older ones match too."""
    # Who may cancel a card transaction reads the list it is cancelled from.
    require_viewer(session, viewer, Right.CANCEL_CARD_TRANSACTION, "view_card_transactions")
    if filters.status is not None and filters.status not in set(CardTransactionStatus):
        raise InvalidInput(_l("Statut inconnu."))
    if filters.first_day and filters.last_day and filters.first_day > filters.last_day:
        raise InvalidInput(_l("La date de début est après la date de fin."))
    payments, documents = _transactions()
    if filters.first_day or filters.last_day:
        start = day_bounds(filters.first_day, zone)[0] if filters.first_day else None
        end = day_bounds(filters.last_day, zone)[1] if filters.last_day else None
        # Through the days (indexed) first: a year of tickets is not read for one day.
        days = select(RegisterDay.id).where(
            *([RegisterDay.opened_at < end] if end else []),
            *([or_(RegisterDay.closed_at.is_(None), RegisterDay.closed_at >= start)] if start else []),
        )
        payments = payments.where(
            Ticket.day_id.in_(days),
            *([Ticket.finished_at >= start] if start else []),
            *([Ticket.finished_at < end] if end else []),
        )
        documents = documents.where(
            *([CardTransaction.created_at >= start] if start else []),
            *([CardTransaction.created_at < end] if end else []),
        )
    every = union_all(payments, documents).subquery("every")
    cancel = aliased(CardTransaction)
    query = (
        select(*every.c, cancel.number.label("cancelled_by"))
        .outerjoin(cancel, cancel.cancels_uuid == every.c.uuid)
        .order_by(every.c.at.desc(), every.c.uuid)
        .offset(filters.page * PAGE)
        .limit(PAGE + 1)
    )
    if filters.status is not None:
        query = query.where(every.c.status == filters.status)
    if filters.cashier:
        query = query.where(every.c.cashier == filters.cashier)
    if filters.amount_cents is not None:
        query = query.where(every.c.amount_cents == filters.amount_cents)
    rows = session.execute(query).all()  # read by name, as CardRow lists them
    session.rollback()
    return rows[:PAGE], len(rows) > PAGE


def find_transaction(session: Session, uuid: str):
    """One transaction by its uuid (a CardRow-shaped row), or None."""
    payments, documents = _transactions()
    every = union_all(
        payments.where(Payment.uuid == uuid), documents.where(CardTransaction.uuid == uuid)
    ).subquery("one")
    cancel = aliased(CardTransaction)
    return session.execute(
        select(*every.c, cancel.number.label("cancelled_by")).outerjoin(
            cancel, cancel.cancels_uuid == every.c.uuid
        )
    ).first()


def card_methods(session: Session) -> list[PaymentMethod]:
    return list(
        session.scalars(
            select(PaymentMethod).where(PaymentMethod.is_card.is_(True)).order_by(PaymentMethod.position)
        )
    )
