"""Comptoir head office: the reference main server the registers import from and export to."""

import os
import secrets
from datetime import timedelta
from pathlib import Path

from flask import Flask

from headoffice.database import configure_engine
from headoffice.extensions import db

# <repo>/instance, shared with the register app but with its own file names.
INSTANCE_PATH = Path(__file__).resolve().parent.parent / "instance"


def create_app(test_config: dict | None = None) -> Flask:
    app = Flask(__name__, instance_path=str(INSTANCE_PATH), instance_relative_config=True)
    app.config.from_mapping(
        SQLALCHEMY_DATABASE_URI=f"sqlite:///{INSTANCE_PATH / 'headoffice.sqlite'}",
        SQLITE_BUSY_TIMEOUT_MS=5000,
        # A batch is a few closed days; far above that is a broken or hostile sender.
        MAX_CONTENT_LENGTH=64 * 1024 * 1024,
        # The same bound on an export's JSON once decompressed (a gzip body, contract 1.2.0,
        # is inflated step by step and refused with 413 past it: no gzip bomb).
        MAX_EXPORT_BYTES=64 * 1024 * 1024,
        # Werkzeug's method string for staff codes. Boxes check it on every Connecter and
        # Ouvrir; on slow hardware "scrypt:16384:8:1" halves the wait. See docs/headoffice.md.
        STAFF_PASSWORD_METHOD="scrypt",
        # Head office's screens (docs/headoffice.md, « Écrans du siège »): users' passwords,
        # sessions that end after this long without a request, or this long in all.
        HEADOFFICE_PASSWORD_METHOD="scrypt",
        HEADOFFICE_SESSION_IDLE_MINUTES=30,
        HEADOFFICE_SESSION_HOURS=10,
        # A register not heard from (import or export) for longer is shown offline.
        HEADOFFICE_OFFLINE_AFTER_HOURS=26,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_NAME="headoffice_session",
        BABEL_DEFAULT_LOCALE="fr",
        BABEL_TRANSLATION_DIRECTORIES=str(Path(__file__).resolve().parent / "translations"),
        WTF_CSRF_TIME_LIMIT=None,  # the session's own limits apply
    )
    app.config.from_pyfile("headoffice.py", silent=True)
    if os.environ.get("HEADOFFICE_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["HEADOFFICE_DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)

    os.makedirs(app.instance_path, exist_ok=True)
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = os.environ.get("HEADOFFICE_SECRET_KEY") or _instance_secret(
            app.instance_path
        )
    app.config["PERMANENT_SESSION_LIFETIME"] = timedelta(hours=app.config["HEADOFFICE_SESSION_HOURS"])

    from headoffice import models  # noqa: F401  (tables must be known before create_all)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from headoffice.api import bp as api_bp
    from headoffice.cli import register_cli
    from headoffice.contacts import init_contacts
    from headoffice.errors import register_error_handlers
    from headoffice.extensions import csrf
    from headoffice.web import init_web

    app.register_blueprint(api_bp)
    csrf.exempt(api_bp)  # bearer tokens, no cookie: nothing for a forged form to ride on
    init_web(app)
    init_contacts(app)
    register_error_handlers(app)
    register_cli(app)

    from headoffice.headers import init_headers

    init_headers(app)
    return app


def _instance_secret(instance_path: str) -> str:
    """A head office without a configured SECRET_KEY gets a random one kept in instance/, so
    sessions survive restarts and every worker signs with the same key."""
    path = os.path.join(instance_path, "headoffice_secret_key")
    if not os.path.exists(path):
        temporary = f"{path}.{os.getpid()}"
        fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
        try:
            os.link(temporary, path)  # the first worker's key wins; the others read it
        except FileExistsError:
            pass
        finally:
            os.unlink(temporary)
    with open(path) as f:
        return f.read().strip()
