"""A till ready to sell, for the selling tests: CAISSE01 imported from the in-process head
office, opened with a 150,00 € float, a seller connected on the kiosk."""

import pytest
from sqlalchemy import select

from app.extensions import db
from app.models import Barcode, PrintJob, Product, Ticket
from app.services.lifecycle import open_register
from tests.support.screens import Database, Kiosk


class Till(Database):
    """The box's database seen from a selling test."""

    def barcode(self, name: str) -> str:
        return self._run(
            lambda: db.session.scalars(
                select(Barcode.code)
                .join(Product, Product.code == Barcode.product_code)
                .where(Product.name == name)
            ).first()
        )

    def product(self, name: str) -> Product:
        return self._run(lambda: db.session.scalars(select(Product).where(Product.name == name)).one())

    def tickets(self, **where):
        def look():
            query = select(Ticket).order_by(Ticket.id)
            for key, value in where.items():
                query = query.where(getattr(Ticket, key) == value)
            tickets = list(db.session.scalars(query))
            for ticket in tickets:  # load what the tests read before the session goes
                ticket.lines, ticket.payments, ticket.taxes, ticket.original
            db.session.expunge_all()
            return tickets

        return self._run(look)

    def print_jobs(self):
        return self._run(
            lambda: [
                (j.kind, j.document_uuid, j.state)
                for j in db.session.scalars(select(PrintJob).order_by(PrintJob.id))
            ]
        )

    def sql(self, statement, **params):
        def run():
            result = db.session.execute(db.text(statement), params)
            db.session.commit()
            return result

        return self._run(run)


def sell(kiosk, till, names, payments=None):
    """A sale on the screen: scans, payments (method, amount, reference) — by default the
    total by card — and Valider. Returns the finished ticket."""
    for name in names:
        kiosk.post("/vente/scan", htmx=True, code=till.barcode(name))
    [ticket] = till.tickets(status="open")
    total = f"{ticket.total_cents // 100},{ticket.total_cents % 100:02d}"
    for method, amount, reference in payments or [("CB", total, None)]:
        kiosk.post("/vente/pay", htmx=True, method=method, amount=amount, reference=reference)
    kiosk.open("/vente?panel=pay")
    kiosk.post("/vente/finish", ticket=ticket.uuid)
    return till.tickets(uuid=ticket.uuid)[0]


def refused(screen, till, action, status, message):
    """A refused action: its status, its message in the message area, nothing changed."""
    before = till.dump()
    page = action()
    assert screen.response.status_code == status, page.body
    assert any(message in m for m in page.messages), (message, page.messages)
    assert till.dump() == before
    return page


def open_till(app, client, person="VEND01", password="1111", float_cents=15000) -> Kiosk:
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    with app.app_context():
        open_register(db.session, "RESP01", "1234", float_cents)
        db.session.remove()
    kiosk.open("/caisse")
    kiosk.post("/caisse/connect", person=person, password=password)
    assert kiosk.response.request.path == "/vente", kiosk.page.messages
    return kiosk


@pytest.fixture
def till(app):
    return Till(app)


@pytest.fixture
def kiosk(app, client):
    """The seller VEND01 connected on the kiosk of an open till."""
    return open_till(app, client)
