"""The figures of a day, computed from the documents with a few GROUP BY queries (a day of
20,000 tickets reads in milliseconds): what the closing page, the Z report and the export
agree on."""

import hashlib
from dataclasses import dataclass, field

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    CardTransaction,
    CashMovement,
    OpeningLine,
    Payment,
    PaymentMethod,
    RegisterDay,
    Ticket,
    TicketLine,
    TicketTax,
)
from app.states import CardTransactionStatus, CashMovementKind, TicketKind, TicketStatus


@dataclass
class MethodRow:
    code: str
    name: str
    is_cash: bool  # the drawer's cash: holds the float, gives change
    counted_as_items: bool  # cheques, vouchers: counted as a number of items too
    store_credit: bool = False  # the shop's credit note: nothing in the drawer, nothing to carry
    opening_cents: int = 0
    # What the opening count found beside the balance the day started with: kept apart from
    # the float, but in the drawer all the same, so the closing expects it (docs/closing.md).
    opening_difference_cents: int = 0
    # What the cashier sessions' closings accepted (their DC/RC of the difference): found
    # before the day's count and in the drawer all the same, so the day expects it too.
    session_difference_cents: int = 0
    payments_cents: int = 0
    payment_count: int = 0
    cash_in_cents: int = 0
    cash_out_cents: int = 0
    # The Liste des transactions' documents on a card method: cancellations and manual
    # refunds (negative), cancelled refunds (positive). What the bank pays is the payments
    # plus this (docs/card-transactions.md).
    card_cents: int = 0

    @property
    def expected_cents(self) -> int:
        return (
            self.opening_cents
            + self.opening_difference_cents
            + self.session_difference_cents
            + self.payments_cents
            + self.card_cents
            + self.cash_in_cents
            - self.cash_out_cents
        )


@dataclass
class DaySummary:
    day: RegisterDay
    methods: list[MethodRow]
    ticket_count: int = 0  # finished sales and returns
    sales_count: int = 0
    sales_cents: int = 0
    returns_count: int = 0
    returns_cents: int = 0
    cancelled_count: int = 0
    cancelled_cents: int = 0
    discounts_cents: int = 0  # line and ticket discounts of the sales
    vat: list[dict] = field(default_factory=list)
    card: dict = field(default_factory=dict)  # CardTransactionStatus → (count, cents), with `full`

    @property
    def net_cents(self) -> int:
        return self.sales_cents + self.returns_cents

    def method(self, code) -> MethodRow | None:
        return next((m for m in self.methods if m.code == code), None)

    @property
    def cash(self) -> MethodRow | None:
        return next((m for m in self.methods if m.is_cash), None)

    def fingerprint(self) -> str:
        """What the closing page was drawn from: a sale or a movement since changes it. A hash,
        because the page carries it and a blind count shows no figure of the day."""
        parts = [str(self.ticket_count), str(self.cancelled_count)]
        parts += [
            f"{m.code}={m.payments_cents}/{m.cash_in_cents}/{m.cash_out_cents}/{m.card_cents}"
            for m in self.methods
        ]
        return hashlib.sha256(";".join(parts).encode()).hexdigest()[:32]


def summarise_day(session: Session, day: RegisterDay, *, full: bool = False) -> DaySummary:
    """`full`: everything the Z report and the closing need; without, what the closing page shows."""
    methods = {
        m.code: MethodRow(
            m.code, m.name, m.gives_change and m.counted_in_drawer, m.counted_as_items, m.store_credit
        )
        for m in session.scalars(select(PaymentMethod).order_by(PaymentMethod.position, PaymentMethod.code))
    }

    def row(code):
        if code not in methods:  # a method head office has removed since: still shown
            methods[code] = MethodRow(code, code, False, False)
        return methods[code]

    # Training tickets (mode école) are in none of the day's figures: not the expected cash,
    # not the Z, not the export.
    real = Ticket.training.is_(False)
    finished = (Ticket.day_id == day.id) & (Ticket.status == TicketStatus.FINISHED) & real
    for code, total, count in session.execute(
        select(Payment.method_code, func.sum(Payment.amount_cents), func.count())
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .where(finished)
        .group_by(Payment.method_code)
    ):
        row(code).payments_cents, row(code).payment_count = total, count
    # The day's closing DC/RC of a difference records the gap of this very summary: left out.
    # A cashier session's was accepted before the day's count: it is in the drawer.
    for code, kind, of_session, total in session.execute(
        select(
            CashMovement.method_code,
            CashMovement.kind,
            CashMovement.closing_difference,
            func.sum(CashMovement.amount_cents),
        )
        .where(
            CashMovement.day_id == day.id,
            CashMovement.closing_withdrawal.is_(False),
            CashMovement.closing_difference.is_(False) | CashMovement.cashier_session_id.is_not(None),
        )
        .group_by(CashMovement.method_code, CashMovement.kind, CashMovement.closing_difference)
    ):
        sign = 1 if kind == CashMovementKind.IN else -1
        if of_session:
            row(code).session_difference_cents += sign * total
        elif kind == CashMovementKind.IN:
            row(code).cash_in_cents = total
        else:
            row(code).cash_out_cents = total
    card = {}
    for code, status, count, total in session.execute(
        select(
            CardTransaction.method_code,
            CardTransaction.status,
            func.count(),
            func.sum(CardTransaction.amount_cents),
        )
        .where(CardTransaction.day_id == day.id)
        .group_by(CardTransaction.method_code, CardTransaction.status)
    ):
        row(code).card_cents += total if status == CardTransactionStatus.REFUND_CANCEL else -total
        before = card.get(status, (0, 0))
        card[status] = (before[0] + count, before[1] + total)
    opening = session.execute(
        select(OpeningLine.method_code, OpeningLine.float_cents, OpeningLine.difference_cents).where(
            OpeningLine.day_id == day.id
        )
    ).all()
    for code, float_cents, difference in opening:
        row(code).opening_cents, row(code).opening_difference_cents = float_cents, difference or 0
    cash = next((m for m in methods.values() if m.is_cash), None)
    if cash is not None and not opening:  # a day opened before the opening lines: its float
        cash.opening_cents = day.opening_float_cents

    summary = DaySummary(day, list(methods.values()), card=card)
    if not full:
        # The closing page needs only the counts: the (day_id, status) index answers alone.
        for status, count in session.execute(
            select(Ticket.status, func.count())
            .where(
                Ticket.day_id == day.id,
                Ticket.status.in_((TicketStatus.FINISHED, TicketStatus.CANCELLED)),
                real,
            )
            .group_by(Ticket.status)
        ):
            if status == TicketStatus.FINISHED:
                summary.ticket_count = count
            else:
                summary.cancelled_count = count
        return summary
    for kind, status, count, total, discount in session.execute(
        select(
            Ticket.kind,
            Ticket.status,
            func.count(),
            func.sum(Ticket.total_cents),
            func.sum(Ticket.discount_cents),
        )
        .where(
            Ticket.day_id == day.id, Ticket.status.in_((TicketStatus.FINISHED, TicketStatus.CANCELLED)), real
        )
        .group_by(Ticket.kind, Ticket.status)
    ):
        if status == TicketStatus.CANCELLED:
            summary.cancelled_count += count
            summary.cancelled_cents += total
        elif kind == TicketKind.SALE:
            summary.sales_count, summary.sales_cents = count, total
            summary.discounts_cents += discount or 0
        else:
            summary.returns_count, summary.returns_cents = count, total
    summary.ticket_count = summary.sales_count + summary.returns_count
    summary.discounts_cents += (
        session.scalar(
            select(func.coalesce(func.sum(TicketLine.discount_cents), 0))
            .join(Ticket, Ticket.id == TicketLine.ticket_id)
            .where(finished, Ticket.kind == TicketKind.SALE)
        )
        or 0
    )
    summary.vat = [
        {"rate_bp": rate, "base_cents": base, "tax_cents": tax, "total_cents": total}
        for rate, base, tax, total in session.execute(
            select(
                TicketTax.rate_bp,
                func.sum(TicketTax.base_cents),
                func.sum(TicketTax.tax_cents),
                func.sum(TicketTax.total_cents),
            )
            .join(Ticket, Ticket.id == TicketTax.ticket_id)
            .where(finished)
            .group_by(TicketTax.rate_bp)
            .order_by(TicketTax.rate_bp)
        )
    ]
    return summary
