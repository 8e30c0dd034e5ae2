"""Comptoir head office: the reference main server the registers import from and export to."""

import os
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
    )
    app.config.from_pyfile("headoffice.py", silent=True)
    if os.environ.get("HEADOFFICE_DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = os.environ["HEADOFFICE_DATABASE_URL"]
    if test_config is not None:
        app.config.from_mapping(test_config)

    os.makedirs(app.instance_path, exist_ok=True)

    from headoffice import models  # noqa: F401  (tables must be known before create_all)

    db.init_app(app)
    with app.app_context():
        configure_engine(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])

    from headoffice.api import bp as api_bp
    from headoffice.cli import register_cli
    from headoffice.errors import register_error_handlers

    app.register_blueprint(api_bp)
    register_error_handlers(app)
    register_cli(app)

    from headoffice.headers import init_headers

    init_headers(app)
    return app
