"""Fixtures every test can ask for: a register app over a temporary SQLite file migrated by
Alembic, and the reference head office (headoffice/) with its demo data, reached in-process
through httpx's WSGI transport so sync tests speak real HTTP without opening ports.
Loaded by tests/conftest.py (pytest_plugins)."""

import os
import shutil
from pathlib import Path

import httpx
import pytest
from flask.testing import FlaskClient

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config


class ServerLikeClient(FlaskClient):
    """Flask's test client, closing each response once read, as gunicorn does after sending
    it: what a worker does then (preparing the next signatures, app/integrity/signer.py) runs
    in every test as it runs on the box."""

    def open(self, *args, **kwargs):
        response = super().open(*args, **kwargs)
        # Every test client answer counts as streamed (its body is the app's iterator), so
        # it is read whole first; closing it then runs the app's close callbacks.
        response.get_data()
        response.close()
        # A server closes an answer once: closing it again (a test, a helper) runs nothing.
        response.close = _closed
        return response


def _closed() -> None:
    pass


@pytest.fixture(scope="session", autouse=True)
def _isolated_home(tmp_path_factory):
    # Chromium and friends write under $HOME; keep the real one clean.
    home = tmp_path_factory.mktemp("home")
    old = os.environ.get("HOME")
    os.environ["HOME"] = str(home)
    yield
    if old is not None:
        os.environ["HOME"] = old


@pytest.fixture(scope="session", autouse=True)
def _compiled_translations():
    """`make test` compiles the catalogs; this keeps a bare `pytest` run honest too."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    root = Path(__file__).resolve().parents[2]
    catalogs = [*(root / "app" / "translations").glob("*/LC_MESSAGES/*.po")]
    catalogs += (root / "headoffice" / "translations").glob("*/LC_MESSAGES/*.po")
    for po in catalogs:
        mo = po.with_suffix(".mo")
        if not mo.exists() or mo.stat().st_mtime < po.stat().st_mtime:
            with open(po, "rb") as source, open(mo, "wb") as target:
                write_mo(target, read_po(source))


@pytest.fixture(scope="session")
def migrated_template(tmp_path_factory):
    """Alembic runs once; each test gets a copy of the migrated file."""
    from flask_migrate import upgrade

    path = tmp_path_factory.mktemp("template") / "comptoir.sqlite"
    app = create_app(register_config(path))
    with app.app_context():
        upgrade()
        db.engine.dispose()
    return path


@pytest.fixture
def db_path(tmp_path, migrated_template):
    path = tmp_path / "comptoir.sqlite"
    shutil.copy(migrated_template, path)
    return path


@pytest.fixture(scope="session")
def headoffice_template(tmp_path_factory):
    from headoffice import create_app as create_headoffice

    path = tmp_path_factory.mktemp("ho-template") / "headoffice.sqlite"
    ho = create_headoffice({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    runner = ho.test_cli_runner()
    for args in (["init-db"], ["load-demo"]):
        result = runner.invoke(args=args)
        assert result.exit_code == 0, result.output
    with ho.app_context():
        ho.extensions["sqlalchemy"].engine.dispose()
    return path


@pytest.fixture
def headoffice_app(tmp_path, headoffice_template):
    from headoffice import create_app as create_headoffice

    path = tmp_path / "headoffice.sqlite"
    shutil.copy(headoffice_template, path)
    ho = create_headoffice({"TESTING": True, "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    yield ho
    with ho.app_context():
        ho.extensions["sqlalchemy"].engine.dispose()


class SwitchableTransport(httpx.BaseTransport):
    """Head office as the register reaches it: the real app by default; a test can swap in
    a failure (down, slow, 500, garbage) and every request is recorded for contract checks."""

    def __init__(self, wsgi_app):
        self.real = httpx.WSGITransport(app=wsgi_app)
        self.override = None
        self.exchanges: list[tuple[httpx.Request, httpx.Response]] = []

    def handle_request(self, request):
        if self.override is not None:
            response = self.override(request)
        else:
            response = self.real.handle_request(request)
            response.read()
        self.exchanges.append((request, response))
        return response


@pytest.fixture
def headoffice(headoffice_app):
    return SwitchableTransport(headoffice_app)


@pytest.fixture
def app(db_path, headoffice):
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    app.test_client_class = ServerLikeClient
    yield app
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def client(app):
    return app.test_client()


@pytest.fixture
def runner(app):
    return app.test_cli_runner()


@pytest.fixture
def ctx(app):
    with app.app_context():
        yield
        db.session.remove()


@pytest.fixture
def ho_client_for(app):
    def make():
        from app.sync.client import HeadOfficeClient

        return HeadOfficeClient.from_config(app.config)

    return make
