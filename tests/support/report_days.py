"""Generated register days for the report tests: from a seed, days opened and closed at set
moments (several on one date too), with sales (line and ticket discounts, several payment
methods, credit notes spent), returns (refunded in cash, by card or as a credit note), DC and
RC documents and a withdrawal at closing — all through the app's own services. Each day's
expected figures are added up here, in Python, from the rows the services wrote, with the
manual's definitions; the reports must show the same."""

from collections import Counter
from dataclasses import dataclass, field
from datetime import date, datetime, time, timezone
from zoneinfo import ZoneInfo

from sqlalchemy import select

from app.extensions import db
from app.models import CashMovement, Product, Ticket
from app.models.base import set_clock
from app.services.closing import ClosingRequest, MethodCount, close_day, summarise_day
from app.services.closing.cash import CashDocument, record_cash_document
from app.services.closing.closing import suggested_float
from app.services.lifecycle import open_register, register_state
from app.services.selling import (
    add_payment,
    add_product,
    at_work,
    current_ticket,
    discount_line,
    discount_ticket,
    finish_ticket,
    refund,
    return_line,
    start_return,
)
from app.services.selling.payments import due_cents
from app.services.sessions import connect_seller, disconnect_seller
from app.states import CashMovementKind, TicketKind, TicketStatus

PARIS = ZoneInfo("Europe/Paris")


@dataclass
class ExpectedDay:
    """What one day's reports must say, added up by the test."""

    uuid: str = ""
    number: int = 0
    on: date | None = None
    float_cents: int = 0
    opening_difference_cents: int = 0
    sales_count: int = 0
    sales_cents: int = 0
    list_price_cents: int = 0
    items_sold: int = 0
    returns_count: int = 0
    returns_cents: int = 0
    items_returned: int = 0
    vouchers_count: int = 0
    vouchers_cents: int = 0
    payment_count: Counter = field(default_factory=Counter)
    method_sales: Counter = field(default_factory=Counter)
    method_refunds: Counter = field(default_factory=Counter)
    manual_in: Counter = field(default_factory=Counter)
    manual_out: Counter = field(default_factory=Counter)
    categories: Counter = field(default_factory=Counter)
    hours: Counter = field(default_factory=Counter)


def shop_time(day: date, hour: int) -> datetime:
    """`hour` o'clock on `day` in the shop (Paris), as UTC."""
    return datetime.combine(day, time(hour), PARIS).astimezone(timezone.utc)


def _at(moment: datetime) -> None:
    set_clock(moment - datetime.now(timezone.utc))


def _products(session, rng) -> list[Product]:
    products = list(
        session.scalars(
            select(Product)
            .where(Product.active, Product.unit == "unit", Product.price_cents > 0)
            .order_by(Product.code)
        )
    )
    return rng.sample(products, 12)


def _sell(session, rng, seller_uuid, products, credit_notes) -> str:
    work = at_work(session, seller_uuid)
    for product in rng.sample(products, rng.randint(1, 3)):
        scanned = add_product(
            session, work, product_code=product.code, quantity_milli=rng.randint(1, 3) * 1000
        )
        if rng.random() < 0.3:
            discount_line(session, work, scanned.line.id, percent_bp=rng.choice((500, 1000, 2500)))
    if rng.random() < 0.25 and current_ticket(session, work).total_cents > 300:
        discount_ticket(session, work, amount_cents=rng.choice((50, 100, 150)))
    ticket = current_ticket(session, work)
    due = due_cents(ticket)
    if credit_notes and rng.random() < 0.5:
        code = credit_notes.pop()
        payment = add_payment(session, work, "AV", due, reference=code)
        due -= payment.amount_cents
    if due > 0 and rng.random() < 0.3 and due > 200:
        add_payment(session, work, "ESP", due // 2)
        due -= due // 2
    if due > 0:
        method = rng.choice(("ESP", "CB", "CHQ"))
        add_payment(
            session,
            work,
            method,
            due + (rng.choice((0, 500, 2000)) if method == "ESP" else 0),  # cash tendered: change given
            reference=str(rng.randint(1000000, 9999999)) if method == "CHQ" else None,
        )
    return finish_ticket(session, work, ticket.uuid).uuid


def _return(session, rng, seller_uuid, sale: Ticket) -> str:
    work = at_work(session, seller_uuid)
    start_return(session, work, str(sale.number))
    line = rng.choice(sale.lines)
    return_line(session, work, line.id, 1000)
    method = rng.choice(("ESP", "CB", "AV"))
    return refund(session, work, method, "RESP01", "1234").uuid


def one_day(app, rng, opened: datetime, credit_notes: list) -> ExpectedDay:
    """Open at `opened` (UTC), sell, return, DC/RC, close; the figures the test expects."""
    _at(opened)
    with app.app_context():
        session = db.session
        left = _left_in_drawer(session)
        # Counting at opening is on (the demo register): the amount is the cash counted, the
        # float is what the last closing left, and the count's gap is the opening difference.
        counted = rng.choice((10000, 15000, 20000))
        day = open_register(session, "RESP01", "1234", counted)
        float_cents = left if left is not None else counted
        expected = ExpectedDay(day.uuid, day.number, opened.astimezone(PARIS).date(), float_cents)
        expected.opening_difference_cents = counted - float_cents
        seller = connect_seller(session, "VEND01", "1111")
        products = _products(session, rng)
        sales = [_sell(session, rng, seller.uuid, products, credit_notes) for _ in range(rng.randint(3, 7))]
        for sale_uuid in rng.sample(sales, rng.randint(1, 2)):
            sale = session.scalars(select(Ticket).where(Ticket.uuid == sale_uuid)).one()
            _return(session, rng, seller.uuid, sale)
            session.expire_all()
        for kind, method in rng.sample([("in", "ESP"), ("out", "ESP"), ("in", "CHQ"), ("out", "ESP")], 2):
            amount = rng.choice((500, 1250, 2000))
            record_cash_document(session, "RESP01", "1234", CashDocument(kind, amount, "Monnaie", method))
        disconnect_seller(session, seller.uuid)
        _add_up(session, expected, day.id, credit_notes)
        cash = summarise_day(session, register_state(session).open_day).cash
        withdrawal = rng.choice((0, 5000))
        session.rollback()
        close_day(
            session,
            "RESP01",
            "1234",
            ClosingRequest(
                counts={"ESP": MethodCount("ESP", typed_cents=cash.expected_cents)},
                withdrawal_cents=withdrawal,
            ),
        )
        expected.manual_out["ESP"] += withdrawal
        db.session.remove()
    set_clock()
    return expected


def _left_in_drawer(session) -> int | None:
    return suggested_float(session, register_state(session).box.register_code)


def _add_up(session, expected: ExpectedDay, day_id: int, credit_notes: list) -> None:
    """The day's figures from its rows, by the manual's definitions."""
    tickets = session.scalars(
        select(Ticket).where(
            Ticket.day_id == day_id, Ticket.status == TicketStatus.FINISHED, Ticket.training.is_(False)
        )
    ).all()
    for ticket in tickets:
        is_sale = ticket.kind == TicketKind.SALE
        for payment in ticket.payments:
            expected.payment_count[payment.method_code] += 1
            if is_sale:
                expected.method_sales[payment.method_code] += payment.amount_cents
            else:
                expected.method_refunds[payment.method_code] -= payment.amount_cents
                if payment.method_code == "AV":
                    expected.vouchers_count += 1
                    expected.vouchers_cents -= payment.amount_cents
                    credit_notes.append(payment.reference)
        items = sum(line.quantity_milli for line in ticket.lines) // 1000
        if is_sale:
            expected.sales_count += 1
            expected.sales_cents += ticket.total_cents
            expected.list_price_cents += sum(
                line.unit_price_cents * line.quantity_milli // 1000 for line in ticket.lines
            )
            expected.items_sold += items
            for line in ticket.lines:
                expected.categories[line.category_code] += line.total_cents
            expected.hours[ticket.finished_at.astimezone(PARIS).hour] += ticket.total_cents
        else:
            expected.returns_count += 1
            expected.returns_cents += ticket.total_cents
            expected.items_returned -= items
    for movement in session.scalars(select(CashMovement).where(CashMovement.day_id == day_id)):
        (expected.manual_in if movement.kind == CashMovementKind.IN else expected.manual_out)[
            movement.method_code
        ] += movement.amount_cents
    session.rollback()
