"""At startup the web service checks the database file once; a damaged file stops the till
with a screen that says what to do, /healthz answers 503, and nothing can be sold."""

import os
import shutil

import pytest

from app import create_app
from app.box import health
from app.extensions import db
from tests.support.helpers import register_config
from tests.support.sqlite_file import checkpoint, damage, damage_table


@pytest.fixture
def damaged_app(db_path, headoffice):
    damage(db_path)
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    yield app
    with app.app_context():
        db.engine.dispose()


def test_damaged_database_shows_the_technician_screen(damaged_app):
    client = damaged_app.test_client()
    for path in ("/", "/caisse", "/vente", "/status"):
        response = client.get(path)
        assert response.status_code == 503, path
        page = response.get_data(as_text=True)
        assert "La base de données de la caisse est endommagée" in page
        assert "comptoir backup restore" in page and "journalctl -u comptoir-web" in page


def test_damaged_database_makes_healthz_503_with_the_reason(damaged_app):
    response = damaged_app.test_client().get("/healthz")
    assert response.status_code == 503
    body = response.get_json()
    assert body["status"] == "error" and body["integrity"] == "damaged"
    assert body["detail"]


def test_not_a_database_at_all(db_path, headoffice):
    db_path.write_bytes(b"this is not sqlite" * 1000)
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    client = app.test_client()
    assert client.get("/healthz").get_json()["detail"] == "file is not a database"
    assert client.get("/").status_code == 503
    with app.app_context():
        db.engine.dispose()


def test_nothing_can_be_sold_on_a_damaged_database(app, selling, db_path, headoffice):
    with app.app_context():
        db.engine.dispose()
    damage(db_path)
    before = db_path.read_bytes()
    damaged = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice, WTF_CSRF_ENABLED=False))
    client = damaged.test_client()
    response = client.post("/caisse/connect", data={"person": "VEND01", "password": "1111"})
    assert response.status_code == 503
    with damaged.app_context():
        db.engine.dispose()
    assert db_path.read_bytes() == before


def test_the_screen_speaks_english_when_asked(damaged_app):
    damaged_app.config["WTF_CSRF_ENABLED"] = False
    client = damaged_app.test_client()
    response = client.post("/lang", data={"lang": "en", "next": "/"}, follow_redirects=True)
    assert response.status_code == 503
    assert "The register's database is damaged" in response.get_data(as_text=True)


def test_htmx_requests_are_told_to_reload(damaged_app):
    response = damaged_app.test_client().get("/status", headers={"HX-Request": "true"})
    assert response.status_code == 503 and response.headers["HX-Refresh"] == "true"


def test_the_full_check_runs_once_while_the_file_is_unchanged(client, monkeypatch):
    calls = []
    real = health.database_problem
    monkeypatch.setattr(health, "database_problem", lambda engine: calls.append(1) or real(engine))
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        client.get("/")
    assert calls == [1]


def test_damage_after_start_is_seen_without_a_restart(app, client, db_path):
    app.config["DATABASE_RECHECK_SECONDS"] = 0
    assert client.get("/").status_code == 200
    checkpoint(db_path)
    damage(db_path)
    client.get("/healthz")  # the file changed: checked again, in the background
    health.watch_of(app).join(timeout=30)
    assert client.get("/healthz").status_code == 503
    page = client.get("/")
    assert page.status_code == 503
    assert "La base de données de la caisse est endommagée" in page.get_data(as_text=True)


def test_a_malformed_table_met_while_serving_shows_the_screen_at_once(app, client, db_path):
    assert client.get("/").status_code == 200
    checkpoint(db_path)
    damage_table(db_path, "box")  # what every screen reads first
    with app.app_context():
        db.engine.dispose()  # no page of it left in a connection's cache
    page = client.get("/")
    assert page.status_code == 503
    assert "La base de données de la caisse est endommagée" in page.get_data(as_text=True)
    body = client.get("/healthz").get_json()
    assert body["integrity"] == "damaged" and "malformed" in body["detail"]


def test_a_replaced_file_is_checked_at_once_and_a_sound_one_brings_the_till_back(
    app, client, db_path, tmp_path
):
    assert client.get("/").status_code == 200
    good = tmp_path / "good.sqlite"
    checkpoint(db_path)
    shutil.copy(db_path, good)
    bad = tmp_path / "bad.sqlite"
    bad.write_bytes(b"not a database" * 1000)
    os.replace(bad, db_path)
    assert client.get("/").status_code == 503
    assert client.get("/healthz").get_json()["detail"] == "file is not a database"
    os.replace(good, db_path)
    assert client.get("/healthz").status_code == 200
    assert client.get("/").status_code == 200


def test_a_database_deleted_under_a_running_app_is_refused_not_recreated(app, client, db_path):
    assert client.get("/").status_code == 200
    with app.app_context():
        db.engine.dispose()
    for side in ("", "-wal", "-shm"):
        db_path.with_name(db_path.name + side).unlink(missing_ok=True)
    page = client.get("/caisse")
    assert page.status_code == 503 and "introuvable" in page.get_data(as_text=True)
    assert client.get("/healthz").get_json()["integrity"] == "missing"
    assert not db_path.exists()


@pytest.mark.parametrize("command", [["scheduler", "--once"], ["printer", "serve"]])
def test_the_scheduler_and_the_printer_worker_refuse_a_damaged_file(damaged_app, command):
    result = damaged_app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 3
    assert "la base de données de la caisse est endommagée" in result.output
    assert "comptoir backup restore" in result.output
