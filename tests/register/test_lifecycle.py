"""Ouvrir and the plain close (docs/flows.md); the full closing is in test_closing.py."""

import threading

import pytest

from app.extensions import db
from app.models import RegisterDay
from app.services.errors import AuthenticationFailed, InvalidInput, RightMissing, StateForbids
from app.services.lifecycle import open_register, register_state
from app.sync.client import HeadOfficeClient
from app.sync.importing import import_register
from tests.support.helpers import close_counted, dump_database, journal


@pytest.fixture
def imported(app, ctx):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")


def test_open_then_close_then_open_again_keeps_every_day(imported):
    day = open_register(db.session, "RESP01", "1234", 15000)
    assert register_state(db.session).code == "C"
    assert (day.number, day.opening_float_cents, day.opened_by_name) == (1, 15000, "Responsable1 De Caisse")
    close_counted(db.session)
    assert register_state(db.session).code == "D"
    second = open_register(db.session, "RESP01", "1234", 15000)  # what the closing left
    assert second.number == 2 and second.register_code == "CAISSE01"
    close_counted(db.session)
    assert [d.number for d in register_state(db.session).days_to_export] == [1, 2]
    assert [j.action for j in journal(outcome="ok")][-4:] == ["open", "close", "open", "close"]


def test_open_refused_in_state_a(app, ctx):
    before = dump_database()
    with pytest.raises(StateForbids, match="importez d'abord"):
        open_register(db.session, "RESP01", "1234", 0)
    assert dump_database() == before


@pytest.mark.parametrize(
    "person, password, amount, error, message",
    [
        ("RESP01", "nope", 1000, AuthenticationFailed, "Mot de passe incorrect"),
        ("VEND02", "2222", 1000, RightMissing, "n'a pas le droit"),
        ("RESP01", "1234", 100001, InvalidInput, "entre 0,00\u00a0€ et 1\u202f000,00\u00a0€"),
        ("RESP01", "1234", -5, InvalidInput, "fonds de caisse doit être entre"),
        ("NOBODY", "x", 1000, AuthenticationFailed, "personne connue"),
    ],
)
def test_open_refusals_change_nothing(imported, person, password, amount, error, message):
    before = dump_database()
    with pytest.raises(error, match=message):
        open_register(db.session, person, password, amount)
    assert dump_database() == before
    assert journal("open", "refused")


def test_open_twice_gives_one_day(imported):
    open_register(db.session, "RESP01", "1234", 100)
    with pytest.raises(StateForbids, match="déjà ouverte"):
        open_register(db.session, "RESP01", "1234", 100)
    assert db.session.query(RegisterDay).count() == 1


def test_two_tablets_opening_at_once_open_one_day(app, imported):
    results = []
    barrier = threading.Barrier(2)

    def tablet():
        with app.app_context():
            barrier.wait()
            try:
                open_register(db.session, "RESP01", "1234", 100)
                results.append("opened")
            except StateForbids as error:
                results.append(str(error))
            finally:
                db.session.remove()

    threads = [threading.Thread(target=tablet) for _ in range(2)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(results)[0] == "La caisse est déjà ouverte." or "autre écran" in sorted(results)[0]
    assert results.count("opened") == 1
    assert db.session.query(RegisterDay).count() == 1


def test_close_refused_when_not_open(imported):
    before = dump_database()
    with pytest.raises(StateForbids, match="pas ouverte"):
        close_counted(db.session)
    assert dump_database() == before
