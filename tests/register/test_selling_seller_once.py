"""Who sells is read once per selling request: the selling blueprint
resolves the seller and the day, and hands them to the service, which does not look again."""

import re

import pytest
from sqlalchemy import event
from sqlalchemy.pool import Pool

from app.models import Ticket

# A look-up of the seller's session by its uuid, in SQL as SQLite runs it (ORM or plain).
SELLER_LOOKUP = re.compile(r"FROM seller_session\b.*\buuid = '", re.IGNORECASE | re.DOTALL)


@pytest.fixture
def statements():
    """Every statement SQLite runs while the test is in the `with` block."""
    seen = []

    def trace(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(seen.append)

    def untrace(dbapi_connection, _record):
        dbapi_connection.set_trace_callback(None)

    event.listen(Pool, "checkout", trace)
    event.listen(Pool, "checkin", untrace)
    yield seen
    event.remove(Pool, "checkout", trace)
    event.remove(Pool, "checkin", untrace)


def seller_lookups(seen) -> int:
    return sum(1 for sql in seen if SELLER_LOOKUP.search(sql))


def current(till) -> Ticket:
    [ticket] = till.tickets(status="open")
    return ticket


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}"


def test_each_selling_action_reads_the_seller_once(kiosk, till, statements):
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Baguette tradition"))
    line = current(till).lines[0]
    actions = {
        "scan": lambda: kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant")),
        "quantity": lambda: kiosk.post(f"/vente/lines/{line.id}/quantity", htmx=True, step="+1"),
        "pay": lambda: kiosk.post(
            "/vente/pay", htmx=True, method="CB", amount=euros(current(till).total_cents)
        ),
        "finish": lambda: kiosk.post("/vente/finish", follow=False, ticket=current(till).uuid),
    }
    counts = {}
    for name, action in actions.items():
        statements.clear()
        action()
        assert kiosk.response.status_code in (200, 303), (name, kiosk.response.status_code)
        counts[name] = seller_lookups(statements)
    assert counts == dict.fromkeys(actions, 1)
    assert till.tickets(status="finished")  # the actions did what they say


def test_a_disconnected_seller_is_stopped_before_the_service_runs(kiosk, till):
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    till.sql("UPDATE seller_session SET disconnected_at = CURRENT_TIMESTAMP")
    before = till.dump()
    kiosk.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    assert kiosk.response.headers["HX-Redirect"] == "/vente"
    assert till.dump() == before
    page = kiosk.open("/vente")
    assert "Vous avez été déconnecté" in page.body
