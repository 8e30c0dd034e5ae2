"""Shared by the period, copy, cash and event tests: the box's clock moved without waiting
(app.models.base.set_clock), days opened and closed, the verifier, the auditor's edit."""

import json
import sqlite3
from datetime import datetime, timezone

import pytest

from app.extensions import db
from app.models.base import set_clock
from app.services.integrity import verify_chains
from app.services.lifecycle import open_register
from tests.support.helpers import close_counted


class Clock:
    def at(self, moment: datetime) -> None:
        """From now on utcnow() reads about `moment` (and runs on from there)."""
        set_clock(moment - datetime.now(timezone.utc))


@pytest.fixture
def clock():
    yield Clock()
    set_clock()


def utc(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc)


def service(app, action):
    with app.app_context():
        try:
            return action(db.session)
        finally:
            db.session.remove()


def close(app, seller):
    """The seller leaves, a manager closes with the cash counted as expected."""
    seller.post("/vente/disconnect")
    return service(app, lambda session: close_counted(session).uuid)


def next_day(app, seller):
    """A manager opens the next day, the seller connects again."""
    service(app, lambda session: open_register(session, "RESP01", "1234", 15000))
    seller.open("/caisse")
    seller.post("/caisse/connect", person="VEND01", password="1111")
    assert seller.response.request.path == "/vente", seller.page.messages


def records(till, chain):
    """(number, kind, subject, signed fields) of a chain, in order."""
    return [
        (r.number, r.kind, r.subject_uuid, json.loads(r.payload)["fields"])
        for r in till.sql(
            "SELECT number, kind, subject_uuid, payload FROM signed_record WHERE chain = :c ORDER BY number",
            c=chain,
        ).all()
    ]


def problems(app):
    return service(
        app, lambda session: [(p.chain, p.number, p.what, p.detail) for p in verify_chains(session).problems]
    )


def edit(app, statement, *params):
    """What an auditor does: the database file edited with sqlite3, triggers dropped first."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute(statement, params)
