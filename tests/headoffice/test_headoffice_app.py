"""The application factory, its configuration and the JSON error pages."""

import importlib

import pytest
from sqlalchemy import text

import headoffice
from headoffice import INSTANCE_PATH, create_app
from headoffice.extensions import db


def test_the_database_url_comes_from_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEADOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("env.sqlite")
    assert app.instance_path == str(INSTANCE_PATH)
    with app.app_context():
        db.engine.dispose()


def test_test_config_wins_over_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("HEADOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'env.sqlite'}")

    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path / 'test.sqlite'}"})

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("test.sqlite")
    with app.app_context():
        db.engine.dispose()


def test_the_default_database_lives_in_a_created_instance_folder(monkeypatch, tmp_path):
    monkeypatch.delenv("HEADOFFICE_DATABASE_URL", raising=False)
    instance = tmp_path / "instance"
    monkeypatch.setattr(headoffice, "INSTANCE_PATH", instance)

    app = create_app()

    assert instance.is_dir()
    assert app.instance_path == str(instance)
    assert app.config["SQLALCHEMY_DATABASE_URI"] == f"sqlite:///{instance / 'headoffice.sqlite'}"
    with app.app_context():
        db.engine.dispose()


def test_instance_config_file_is_read(monkeypatch, tmp_path):
    monkeypatch.delenv("HEADOFFICE_DATABASE_URL", raising=False)
    monkeypatch.setattr(headoffice, "INSTANCE_PATH", tmp_path)
    (tmp_path / "headoffice.py").write_text(
        f"SQLALCHEMY_DATABASE_URI = 'sqlite:///{tmp_path / 'from-file.sqlite'}'\n"
    )

    app = create_app()

    assert app.config["SQLALCHEMY_DATABASE_URI"].endswith("from-file.sqlite")
    with app.app_context():
        db.engine.dispose()


def test_sqlite_pragmas_are_set_on_connect(ho_app, ho_backend):
    if ho_backend != "sqlite":
        pytest.skip("PostgreSQL has no pragmas: its foreign keys are always on")
    with ho_app.app_context():
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() == 5000


def test_wsgi_exposes_an_app(monkeypatch, tmp_path):
    monkeypatch.setenv("HEADOFFICE_DATABASE_URL", f"sqlite:///{tmp_path / 'wsgi.sqlite'}")
    import headoffice.wsgi

    module = importlib.reload(headoffice.wsgi)

    assert module.app.name == "headoffice"
    assert "api.snapshot" in module.app.view_functions
    with module.app.app_context():
        db.engine.dispose()


def test_api_404_and_405_are_json(ho_client):
    missing = ho_client.get("/api/v1/nothing-here")
    assert missing.status_code == 404
    assert missing.json["error"] == "not_found"

    wrong_method = ho_client.delete("/api/v1/registers")
    assert wrong_method.status_code == 405
    assert wrong_method.json["error"] == "method_not_allowed"
    assert "GET" in wrong_method.headers["Allow"]


def test_api_500_is_json_without_a_debug_page(ho_app):
    ho_app.config["PROPAGATE_EXCEPTIONS"] = False

    @ho_app.get("/api/v1/boom")
    def boom():
        raise RuntimeError("kaboom")

    response = ho_app.test_client().get("/api/v1/boom")

    assert response.status_code == 500
    assert response.json["error"] == "internal_server_error"
    assert "kaboom" not in response.get_data(as_text=True)
