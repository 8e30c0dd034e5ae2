"""A shop that sold in the past: the register's clock set back (app.models.base.set_clock, the
one seam every utcnow() reads) while a day is opened, sold in and closed, so an archive has a
closed period to hold. Only the clock moves; the sales go through the screens and services as
always."""

from contextlib import contextmanager
from datetime import timedelta
from zoneinfo import ZoneInfo

from app.extensions import db
from app.models import base
from app.services.lifecycle import open_register
from tests.support.helpers import close_counted
from tests.support.till import open_till, sell

PARIS = ZoneInfo("Europe/Paris")


@contextmanager
def clock_back(days: int):
    base.set_clock(-timedelta(days=days))
    try:
        yield base.utcnow().astimezone(PARIS).date()
    finally:
        base.set_clock()


def past_day(app, client, till, days: int, names: list[list[str]]):
    """The register imported and a first day `days` ago: opened, one sale per list of names,
    closed (its Z). Returns its shop date, the tickets and the kiosk."""
    with clock_back(days) as day:
        kiosk = open_till(app, client)
        tickets = [sell(kiosk, till, items) for items in names]
        close(app, kiosk)
    return day, tickets, kiosk


def another_day(app, kiosk, till, names: list[list[str]], days: int = 0, closed: bool = True):
    """The register opened again `days` ago (0: today), one sale per list of names, then
    closed unless told otherwise. Returns its shop date and the tickets."""
    with clock_back(days) as day:
        with app.app_context():
            open_register(db.session, "RESP01", "1234", 15000)
            db.session.remove()
        kiosk.open("/caisse")
        kiosk.post("/caisse/connect", person="VEND01", password="1111")
        tickets = [sell(kiosk, till, items) for items in names]
        if closed:
            close(app, kiosk)
    return day, tickets


def close(app, kiosk):
    kiosk.post("/vente/disconnect")
    with app.app_context():
        close_counted(db.session)
        db.session.remove()
