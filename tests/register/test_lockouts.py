"""PIN guessing: each lock-out lasts twice the one before (kept in the database, so a restart
forgets nothing) until a right code; every lock-out is journaled; a manager sees the locked
people and unlocks one with their own code, and a refused unlock changes nothing."""

import sqlite3

import pytest

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config
from tests.support.screens import Kiosk
from tests.support.till import open_till, refused


def connect(screen, password, person="VEND02"):
    screen.open("/caisse")
    return screen.post("/caisse/connect", htmx=True, person=person, password=password)


def five_wrong(screen, person="VEND02"):
    for _ in range(4):
        assert connect(screen, "0000", person).messages == ["Mot de passe incorrect."]
    return connect(screen, "0000", person).messages[0]


def lock_row(db_path, person="VEND02"):
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(
            "SELECT failures, lockouts, locked_until FROM login_failure WHERE staff_code = ?", (person,)
        ).fetchone()
    finally:
        connection.close()


def time_passes(db_path, person="VEND02"):
    """The lock-out runs out (the clock, without waiting for it)."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute(
            "UPDATE login_failure SET locked_until = '2000-01-01 00:00:00.000000' WHERE staff_code = ?",
            (person,),
        )
        connection.commit()
    finally:
        connection.close()


@pytest.fixture
def screen(app, client):
    open_till(app, client)  # imported, opened, VEND01 selling
    return Kiosk(client)


def test_each_lock_out_lasts_twice_the_one_before_until_a_right_code(screen, db_path, app):
    assert five_wrong(screen) == "Mot de passe incorrect. Vendeur2 De Caisse est bloqué pendant 5 min."
    answer = connect(screen, "2222")  # the right code, during the lock-out: still refused
    assert "Réessayez dans 5 min, ou demandez à un responsable de le débloquer." in answer.messages[0]
    time_passes(db_path)
    assert five_wrong(screen).endswith("bloqué pendant 10 min.")
    time_passes(db_path)
    assert five_wrong(screen).endswith("bloqué pendant 20 min.")
    assert lock_row(db_path)[:2] == (0, 3)

    # A restart (a new process on the same file) forgets nothing.
    with app.app_context():
        db.engine.dispose()
    restarted = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=app.config["HEADOFFICE_TRANSPORT"]))
    again = Kiosk(restarted.test_client())
    assert "Réessayez dans 20 min" in connect(again, "2222").messages[0]
    time_passes(db_path)
    assert five_wrong(again).endswith("bloqué pendant 40 min.")

    # The right code once the lock-out is over: the next lock-out is short again.
    time_passes(db_path)
    connect(again, "2222")
    assert again.response.headers["HX-Redirect"] == "/vente"
    assert lock_row(db_path)[:3] == (0, 0, None)
    assert five_wrong(again).endswith("bloqué pendant 5 min.")
    with restarted.app_context():
        db.engine.dispose()


def test_lock_outs_stop_at_a_day_and_read_in_hours(screen, db_path, app):
    connection = sqlite3.connect(db_path)
    connection.execute("INSERT INTO login_failure (staff_code, failures, lockouts) VALUES ('VEND02', 0, 12)")
    connection.commit()
    connection.close()
    assert five_wrong(screen).endswith("bloqué pendant 24 h 00 min.")


def test_every_lock_out_is_journaled(screen, db_path, till):
    five_wrong(screen)
    time_passes(db_path)
    five_wrong(screen)
    entries = till.journal("lockout", "ok")
    assert [(e.actor_code, e.reason) for e in entries] == [
        ("VEND02", "5 mots de passe faux de suite : bloqué 5 min"),
        ("VEND02", "5 mots de passe faux de suite : bloqué 10 min"),
    ]


def test_a_manager_sees_the_locked_people_and_unlocks_one(screen, db_path, till):
    page = screen.sign_in("/caisse/blocages")
    assert "Personne n'est bloqué." in page.body
    five_wrong(screen)
    page = screen.open("/caisse")
    assert "Personnes bloquées" in page.body
    page = screen.open("/caisse/blocages")
    assert "Vendeur2 De Caisse (VEND02)" in page.body and "Débloquer" in page.body

    screen.post("/caisse/blocages", htmx=True, locked="VEND02", person="RESP01", password="1234")
    assert screen.response.headers["HX-Redirect"] == "/caisse/blocages"
    assert "Vendeur2 De Caisse est débloqué." in screen.open("/caisse/blocages").body
    assert lock_row(db_path)[:3] == (0, 0, None)
    [entry] = till.journal("unlock", "ok")
    assert entry.actor_code == "RESP01" and "Vendeur2 De Caisse" in entry.reason
    connect(screen, "2222")
    assert screen.response.headers["HX-Redirect"] == "/vente"


@pytest.mark.parametrize(
    "fields, status, message",
    [
        ({"password": "0000"}, 403, "Mot de passe incorrect."),
        ({"person": "VEND01", "password": "1111"}, 403, "n'a pas le droit de faire cela (gérer)"),
        ({"person": "VEND02", "password": "2222"}, 403, "est bloqué"),
        ({"locked": "RESP01"}, 422, "Choisissez une personne bloquée."),
        ({"locked": ""}, 422, "Choisissez une personne bloquée."),
        ({"person": ""}, 403, "Choisissez une personne connue"),
    ],
)
def test_a_refused_unlock_changes_nothing(screen, db_path, till, fields, status, message):
    five_wrong(screen)
    screen.sign_in("/caisse/blocages")
    before = lock_row(db_path)
    unlock = {"locked": "VEND02", "person": "RESP01", "password": "1234", **fields}
    refused(screen, till, lambda: screen.post("/caisse/blocages", htmx=True, **unlock), status, message)
    assert lock_row(db_path) == before
    assert till.journal("unlock", "ok") == []


def test_the_migration_goes_down_and_up_keeping_the_locks(db_path):
    from flask_migrate import downgrade, upgrade

    connection = sqlite3.connect(db_path)
    connection.execute(
        "INSERT INTO login_failure (staff_code, failures, lockouts, locked_until) "
        "VALUES ('VEND02', 1, 3, '2999-01-01 00:00:00.000000')"
    )
    connection.commit()
    connection.close()
    app = create_app(register_config(db_path))
    with app.app_context():
        downgrade(revision="0004")
        upgrade()
        db.engine.dispose()
    assert lock_row(db_path) == (1, 0, "2999-01-01 00:00:00.000000")


def test_the_screen_reads_in_english(screen, app):
    five_wrong(screen)
    screen.sign_in("/caisse/blocages")
    screen.post("/lang", lang="en", next="/caisse/blocages")
    page = screen.open("/caisse/blocages")
    assert "Locked people" in page.body and "Unlock" in page.body
    answer = connect(screen, "2222")
    assert "Try again in 5 min, or ask a manager to unlock them." in answer.messages[0]


def test_the_screen_is_reachable_before_the_register_is_opened(client, till):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    page = screen.open("/")  # imported, not opened: a locked manager may be the one to open
    assert "Personnes bloquées" in page.body
    assert screen.sign_in("/caisse/blocages").body.count("Personne n'est bloqué.") == 1
