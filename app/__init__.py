"""Comptoir — the register server. `create_app` builds the Flask app (Flask tutorial pattern)."""

import os
import secrets

from flask import Flask

from app import settings
from app.box.backup import track_database_use
from app.database import configure_sqlite
from app.devices.spec import printer_settings
from app.extensions import babel, csrf, db, htmx, migrate

MIGRATIONS_DIR = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")


def create_app(test_config: dict | None = None) -> Flask:
    # COMPTOIR_INSTANCE lets the demo, the tests and each box keep their own instance folder.
    app = Flask(
        __name__, instance_path=os.environ.get("COMPTOIR_INSTANCE") or None, instance_relative_config=True
    )
    app.config.from_object(settings)
    if test_config is None:
        app.config.from_pyfile("config.py", silent=True)
    else:
        app.config.from_mapping(test_config)
    os.makedirs(app.instance_path, exist_ok=True)
    app.config.setdefault(
        "SQLALCHEMY_DATABASE_URI", "sqlite:///" + os.path.join(app.instance_path, "comptoir.sqlite")
    )
    if not app.config.get("SECRET_KEY"):
        app.config["SECRET_KEY"] = _instance_secret(app.instance_path)
    app.config["PRINTER"] = printer_settings(app.config.get("PRINTER"))

    db.init_app(app)
    with app.app_context():
        configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
        track_database_use(db.engine)  # so a restore refuses to run under a live process
    migrate.init_app(app, db, directory=MIGRATIONS_DIR)
    csrf.init_app(app)
    htmx.init_app(app)

    from app.i18n import init_i18n

    init_i18n(app, babel)

    from app.origin import init_origin

    init_origin(app)  # before the hook below: clearing a session resets `permanent`

    @app.before_request
    def _sessions_expire():
        # Every web session lasts PERMANENT_SESSION_LIFETIME, renewed while the person works.
        from flask import session

        session.permanent = True

    from app.filters import register_filters

    register_filters(app)

    from app.keyboard import init_keyboard

    init_keyboard(app)

    from app.blueprints import register_blueprints
    from app.services.parsing import IdConverter

    app.url_map.converters["int"] = IdConverter  # before the rules: every <int:…> is bounded
    register_blueprints(app)

    from app.access import init_access

    init_access(app)  # after the origin binding and the damaged-database guard

    from app.headers import init_headers

    init_headers(app)

    from app.session_bounds import init_session_bounds

    init_session_bounds(app)

    from app.integrity.keys import top_up_after

    app.after_request(top_up_after)

    from app.cli import register_cli

    register_cli(app)
    return app


def _instance_secret(instance_path: str) -> str:
    """A box without a configured SECRET_KEY gets a random one kept in instance/, so sessions
    survive restarts and no secret ever sits in the repository."""
    path = os.path.join(instance_path, "secret_key")
    if not os.path.exists(path):
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
        with os.fdopen(fd, "w") as f:
            f.write(secrets.token_hex(32))
    with open(path) as f:
        return f.read().strip()
