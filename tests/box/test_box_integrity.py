"""At startup the web service checks the database file once; a damaged file stops the till
with a screen that says what to do, /healthz answers 503, and nothing can be sold."""
import pytest
from boxhelpers import damage

from app import create_app
from app.extensions import db
from app.services import health

from helpers import register_config


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
    damaged = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice,
                                         WTF_CSRF_ENABLED=False))
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


def test_the_check_runs_once_per_process(client, monkeypatch):
    calls = []
    real = health.database_problem
    monkeypatch.setattr(health, "database_problem", lambda engine: calls.append(1) or real(engine))
    for _ in range(3):
        assert client.get("/healthz").status_code == 200
        client.get("/")
    assert calls == [1]


@pytest.mark.parametrize("command", [["scheduler", "--once"], ["printer", "serve"]])
def test_the_scheduler_and_the_printer_worker_refuse_a_damaged_file(damaged_app, command):
    result = damaged_app.test_cli_runner().invoke(args=command)
    assert result.exit_code == 3
    assert "la base de données de la caisse est endommagée" in result.output
    assert "comptoir backup restore" in result.output
