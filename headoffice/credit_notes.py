"""Credit notes (avoirs) booked from received exports.

Head office never sees a credit note being made: it learns of it from the return that
issued it (a negative store-credit payment, its reference the code) and of each spend from
a sale paid with it (a positive one). Registers export on their own schedule, so a spend
may arrive before its issue; the row then waits, issued_at NULL, for the issue to fill it.
"""

import logging
from dataclasses import dataclass
from datetime import date, datetime

from sqlalchemy import func, select
from sqlalchemy.dialects import postgresql, sqlite

from headoffice.export_checks import StoreCreditPayment
from headoffice.extensions import db
from headoffice.models import CreditNote, PaymentMethod

log = logging.getLogger(__name__)

# The dialects with INSERT … ON CONFLICT DO UPDATE, the one race-free upsert both offer.
UPSERT_INSERTS = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass
class Move:
    """What one batch does to one credit note."""

    code: str
    issued_cents: int = 0
    spent_cents: int = 0
    issued_at: datetime | None = None
    expires_on: date | None = None
    ticket_uuid: str | None = None


def store_credit_codes(shop_id: int) -> set[str]:
    return set(
        db.session.scalars(
            select(PaymentMethod.code).where(PaymentMethod.shop_id == shop_id, PaymentMethod.store_credit)
        )
    )


def moves_by_code(payments: list[StoreCreditPayment]) -> list[Move]:
    """One move per code, sorted by code: concurrent batches then lock rows in one order."""
    moves: dict[str, Move] = {}
    for payment in payments:
        move = moves.setdefault(payment.code, Move(payment.code))
        if payment.amount_cents > 0:
            move.spent_cents += payment.amount_cents
            continue
        move.issued_cents -= payment.amount_cents
        if move.issued_at is None:
            move.issued_at = payment.created_at
            move.expires_on = payment.expires_on
            move.ticket_uuid = payment.ticket_uuid
    return [moves[code] for code in sorted(moves)]


def book_moves(shop_id: int, register_code: str, batch_id: str, moves: list[Move]) -> None:
    """Add the moves to the shop's credit notes, in the caller's transaction.

    Sums are added in the database (credit_note.x + excluded.x) rather than read, added and
    written back: on PostgreSQL another register's batch may book the same code at the same
    time, and ON CONFLICT waits for its row lock and adds to what it committed. The first
    issue received keeps its date, expiry, register and ticket (COALESCE).
    """
    if not moves:
        return
    dialect = db.session.get_bind().dialect.name
    if dialect not in UPSERT_INSERTS:
        raise NotImplementedError(f"Credit notes need SQLite or PostgreSQL, not {dialect}.")
    statement = UPSERT_INSERTS[dialect](CreditNote).values(
        [
            {
                "shop_id": shop_id,
                "code": move.code,
                "issued_cents": move.issued_cents,
                "spent_cents": move.spent_cents,
                "issued_at": move.issued_at,
                "expires_on": move.expires_on,
                "ticket_uuid": move.ticket_uuid,
                "register_code": register_code if move.issued_cents else None,
            }
            for move in moves
        ]
    )
    new = statement.excluded
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[CreditNote.shop_id, CreditNote.code],
            set_={
                "issued_cents": CreditNote.issued_cents + new.issued_cents,
                "spent_cents": CreditNote.spent_cents + new.spent_cents,
                **{
                    name: func.coalesce(getattr(CreditNote, name), getattr(new, name))
                    for name in ("issued_at", "expires_on", "register_code", "ticket_uuid")
                },
            },
        )
    )
    _warn_about_oddities(shop_id, batch_id, moves)


def _warn_about_oddities(shop_id: int, batch_id: str, moves: list[Move]) -> None:
    """Log what head office accepts but someone should look at.

    An overdraft is accepted, not refused: the sale happened and the money is in the till
    (two registers offline may both have accepted the last euros of one note); refusing
    the batch would only stop the days from reaching head office.
    """
    by_code = {move.code: move for move in moves}
    rows = db.session.execute(
        select(
            CreditNote.code,
            CreditNote.issued_cents,
            CreditNote.spent_cents,
            CreditNote.issued_at,
            CreditNote.ticket_uuid,
        ).where(CreditNote.shop_id == shop_id, CreditNote.code.in_(by_code))
    )
    for code, issued, spent, issued_at, ticket_uuid in rows:
        move = by_code[code]
        if move.issued_cents and ticket_uuid != move.ticket_uuid:
            log.warning(
                "Credit note %s issued again by return %s (batch %s), first by %s; the amounts were added.",
                code,
                move.ticket_uuid,
                batch_id,
                ticket_uuid,
            )
        if issued_at is None:
            log.info(
                "Credit note %s spent (%d cents) before its issue was received (batch %s).",
                code,
                spent,
                batch_id,
            )
        elif spent > issued:
            log.warning(
                "Credit note %s overdrawn: %d cents spent of %d issued (batch %s).",
                code,
                spent,
                issued,
                batch_id,
            )
