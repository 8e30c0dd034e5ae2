"""A shop with something behind every route (a closed day and its Z, a print job, a ticket
aside, a line, a payment, a sync run) and a walk over every rule of the URL map with those
rows as arguments: what the access, form and header guards go through."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import (
    CashierSession,
    CashMovement,
    Payment,
    PrintJob,
    Product,
    RegisterDay,
    SyncRun,
    Ticket,
    TicketLine,
)
from app.services.closing.cash import record_cash_movement
from app.services.lifecycle import open_register
from tests.support.helpers import close_counted
from tests.support.screens import Kiosk
from tests.support.till import open_till, sell

# The plain seller: the right to sell, nothing else.
PLAIN_SELLER = ("VEND02", "2222")
METHODS = ("GET", "POST")


@pytest.fixture
def shop(app, client, till):
    """A day closed (its Z printed), a cash movement, a new day open with a sale paid by card,
    a ticket aside and one on screen with a line and a payment, the seller VEND02 connected."""
    seller = open_till(app, client, *PLAIN_SELLER)
    sell(seller, till, ["Baguette tradition"])
    seller.post("/vente/disconnect")
    with app.app_context():
        record_cash_movement(db.session, "RESP01", "1234", "in", 1000, "Monnaie")
        close_counted(db.session)
        open_register(db.session, "RESP01", "1234", 15000)
        db.session.remove()
    seller.open("/caisse")
    seller.post("/caisse/connect", person=PLAIN_SELLER[0], password=PLAIN_SELLER[1])
    sell(seller, till, ["Croissant"])  # by card today: the one Annuler may cancel
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/suspend")
    seller.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    seller.post("/vente/pay", htmx=True, method="CB", amount="0,10")
    seller.open("/vente")
    with app.app_context():  # a cashier's session, as a shop working by session has (the setting aside)
        day = db.session.scalars(select(RegisterDay).where(RegisterDay.state == "open")).one()
        db.session.add(
            CashierSession(
                register_code=day.register_code,
                number=1,
                day_id=day.id,
                staff_code="VEND01",
                staff_name="Vendeur1 De Caisse",
                opened_at=day.opened_at,
            )
        )
        db.session.commit()
        db.session.remove()

    def rows():
        def one(model, *where):
            return db.session.scalars(select(model).where(*where).order_by(model.id)).first()

        closed = one(RegisterDay, RegisterDay.state == "closed")
        return {
            "closed_day": closed.uuid,
            "print_job": one(PrintJob, PrintJob.kind == "receipt").uuid,
            "aside": one(Ticket, Ticket.status == "suspended").uuid,
            "line": one(TicketLine, TicketLine.ticket_id == one(Ticket, Ticket.status == "open").id).id,
            "payment": one(Payment).uuid,
            "run": one(SyncRun).uuid,
            "product": db.session.scalars(select(Product.code).order_by(Product.code)).first(),
            "cash_document": one(CashMovement).uuid,
            "cashier_session": one(CashierSession).uuid,
            "card_payment": db.session.scalars(
                select(Payment.uuid)
                .join(Ticket, Ticket.id == Payment.ticket_id)
                .where(Ticket.status == "finished")
                .order_by(Payment.id.desc())
            ).first(),
        }

    return seller, till._run(rows)


def placeholders(endpoint: str, rows: dict) -> dict:
    """Real values for a rule's arguments; an argument nobody knows fails the test (a new
    route must be walked too)."""
    by_endpoint = {
        "closing.day": rows["closed_day"],
        "closing.reprint": rows["closed_day"],
        "printing.preview": rows["print_job"],
        "selling.unpay": rows["payment"],
        "selling.resume": rows["aside"],
        "closing.cancel_ticket": rows["aside"],
        "register.document": rows["cash_document"],
        "cashier_sessions.takings": rows["cashier_session"],
        "cashier_sessions.close": rows["cashier_session"],
        "register.cancel_card_form": rows["card_payment"],
        "register.cancel_card": rows["card_payment"],
    }
    return {
        "uuid": by_endpoint.get(endpoint),
        "run_uuid": rows["run"],
        "line_id": rows["line"],
        "code": rows["product"],
        "filename": "css/comptoir.css",
    }


def walk(app, rows):
    """(endpoint, method, url) for every rule of the URL map."""
    for rule in app.url_map.iter_rules():
        values = placeholders(rule.endpoint, rows)
        arguments = {name: values.get(name) for name in rule.arguments}
        assert None not in arguments.values(), f"no placeholder for {rule.endpoint} {rule.arguments}"
        url = rule.build(arguments, append_unknown=False)[1]
        for method in METHODS:
            if method in rule.methods:
                yield rule.endpoint, method, url


def anonymous(app) -> Kiosk:
    """Someone on the shop Wi-Fi: no person, only the CSRF token any page hands out."""
    screen = Kiosk(app.test_client())
    screen.open("/")
    return screen
