"""/healthz tells systemd and the kiosk whether the box can sell."""

import sqlite3

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config


def test_healthy_box(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["status"] == "ok" and body["migrations"] == "current"
    assert body["revision"] == body["expected_revision"]


def test_unmigrated_database_is_unhealthy(tmp_path):
    path = tmp_path / "empty.sqlite"
    sqlite3.connect(path).close()  # an empty database file, never migrated
    app = create_app(register_config(path))
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["migrations"] == "behind"
    # Every screen says so instead of a 500 on the first missing table.
    page = client.get("/")
    assert page.status_code == 503
    assert "n'est pas à jour" in page.get_data(as_text=True)
    with app.app_context():
        db.engine.dispose()


def test_a_missing_database_is_refused_and_not_created(tmp_path):
    path = tmp_path / "comptoir.sqlite"
    app = create_app(register_config(path))
    client = app.test_client()
    response = client.get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["integrity"] == "missing"
    for screen in ("/", "/caisse", "/vente"):
        page = client.get(screen)
        assert page.status_code == 503, screen
        assert "introuvable" in page.get_data(as_text=True)
    with app.app_context():
        db.session.remove()
        with pytest.raises(OperationalError, match="unable to open"):
            db.session.execute(text("SELECT 1"))
        db.session.remove()
        db.engine.dispose()
    assert not path.exists()


def test_the_migrations_create_a_missing_database(tmp_path):
    from flask_migrate import upgrade

    path = tmp_path / "new.sqlite"
    app = create_app(register_config(path))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    assert path.exists()
    assert app.test_client().get("/healthz").status_code == 200
    with app.app_context():
        db.engine.dispose()


def test_unknown_page_gets_no_debug_page(client):
    response = client.get("/nowhere")
    assert response.status_code == 404
    assert b"Traceback" not in response.data and b"Werkzeug" not in response.data
