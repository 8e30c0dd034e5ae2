"""Sells ticket after ticket through the app's own engine and session, the way the till does,
and prints `FINISHED <uuid> <number>` once each sale is committed — the moment the cashier
would see "ticket validé". The power-cut test kills this process at random and then checks
that every ticket it announced is in the database.

Selling goes through `app.services.selling` (add_product → add_payment → finish_ticket) when
that service exists; until it lands, one transaction writes the same rows a sale writes:
ticket with its number from the register's sequence, line, payment, VAT total, journal.

    python -m tests.support.ticket_writer DATABASE [--count N | --fork-server]   (from the repository)
"""

import argparse
import os
import sys
import traceback
from pathlib import Path

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import (
    Payment,
    PaymentMethod,
    Product,
    RegisterDay,
    SellerSession,
    Ticket,
    TicketLine,
    TicketTax,
    VatRate,
    utcnow,
)
from app.services.journal import record
from app.services.sequences import next_number

try:
    from app.services.selling import add_payment, add_product, at_work, current_ticket, finish_ticket
    from app.services.selling.payments import due_cents
except ImportError:  # the selling issue has not landed on this branch
    finish_ticket = None


# How a test starts this writer as a process of its own (run from the repository, so that
# `app` and `tests` import without touching sys.path).
ROOT = Path(__file__).resolve().parents[2]
COMMAND = [sys.executable, "-m", "tests.support.ticket_writer"]


def writer_app(db_path):
    return create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{db_path}",
            "SECRET_KEY": "w",
            "COMPTOIR_DEVICE_NAME": "Coupure",
        }
    )


def _cheapest_product(session):
    return session.execute(
        select(Product, VatRate)
        .join(VatRate, VatRate.code == Product.vat_code)
        .where(Product.active, Product.unit == "unit", Product.price_cents > 0)
        .order_by(Product.price_cents, Product.code)
        .limit(1)
    ).one()


def _cash(session) -> PaymentMethod:
    return session.scalars(
        select(PaymentMethod).order_by(PaymentMethod.counted_in_drawer.desc(), PaymentMethod.position)
    ).first()


def sell_one_ticket(session, seller: SellerSession) -> Ticket:
    """One sale, committed when this returns."""
    product, vat = _cheapest_product(session)
    method = _cash(session)
    if finish_ticket is not None:
        work = at_work(session, seller.uuid)
        add_product(session, work, product_code=product.code)
        ticket = current_ticket(session, work)
        due = due_cents(ticket)
        if due > 0:
            add_payment(session, work, method.code, due)
        return finish_ticket(session, work, ticket.uuid)
    return _write_sale_rows(session, seller, product, vat, method)


def _write_sale_rows(session, seller, product, vat, method) -> Ticket:
    day = session.get(RegisterDay, seller.day_id)
    now = utcnow()
    price = product.price_cents
    base = (price * 10000 + (10000 + vat.rate_bp) // 2) // (10000 + vat.rate_bp)
    ticket = Ticket(
        register_code=day.register_code,
        day_id=day.id,
        number=next_number(session, day.register_code, "ticket"),
        kind="sale",
        status="finished",
        seller_code=seller.staff_code,
        seller_name=seller.staff_name,
        created_at=now,
        finished_at=now,
        discount_cents=0,
        total_cents=price,
        lines=[
            TicketLine(
                position=1,
                product_code=product.code,
                label=product.name,
                category_code=product.category_code,
                quantity_milli=1000,
                unit_price_cents=price,
                discount_cents=0,
                vat_rate_bp=vat.rate_bp,
                total_cents=price,
            )
        ],
        payments=[
            Payment(
                method_code=method.code,
                method_name=method.name,
                amount_cents=price,
                tendered_cents=price,
                change_cents=0,
                created_at=now,
            )
        ],
        taxes=[TicketTax(rate_bp=vat.rate_bp, base_cents=base, tax_cents=price - base, total_cents=price)],
    )
    session.add(ticket)
    session.flush()
    record(
        session,
        "finish_ticket",
        actor=seller.staff_code,
        register_code=day.register_code,
        subject_uuid=ticket.uuid,
        number=ticket.number,
        total_cents=price,
    )
    session.commit()
    return ticket


def connected_seller(session) -> SellerSession:
    return session.scalars(
        select(SellerSession).where(SellerSession.disconnected_at.is_(None)).order_by(SellerSession.id)
    ).first()


def write_tickets(db_path, count: int = 0) -> None:
    app = writer_app(db_path)
    with app.app_context():
        seller = connected_seller(db.session)
        db.session.rollback()
        print(f"READY {os.getpid()}", flush=True)
        sold = 0
        while not count or sold < count:
            ticket = sell_one_ticket(db.session, seller)
            print(f"FINISHED {ticket.uuid} {ticket.number}", flush=True)
            sold += 1


def fork_server(db_path) -> None:
    """Starting Python and importing the app takes seconds; a hundred power cuts should not.
    This process imports once and, for each `go` on stdin, forks a writer (a process of its
    own, which opens the database itself); `reap` waits for the killed one. Everything the
    writer printed before it died is in the pipe before the `REAPED` line."""
    child = None
    for command in sys.stdin:
        command = command.strip()
        if command == "go":
            child = os.fork()
            if child == 0:
                try:
                    write_tickets(db_path)
                except BaseException:  # every kind: say why, or the test would wait forever
                    traceback.print_exc()
                    print("DIED", flush=True)
                finally:
                    sys.stderr.flush()
                    os._exit(1)
            print(f"PID {child}", flush=True)
        elif command == "reap" and child:
            _pid, status = os.waitpid(child, 0)
            print(f"REAPED {child} {status}", flush=True)
            child = None


def main(argv=None) -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("database")
    parser.add_argument("--count", type=int, default=0, help="0: until killed")
    parser.add_argument("--fork-server", action="store_true")
    args = parser.parse_args(argv)
    if args.fork_server:
        fork_server(args.database)
    else:
        write_tickets(args.database, args.count)
    return 0


if __name__ == "__main__":
    sys.exit(main())
