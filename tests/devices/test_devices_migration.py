"""Migration 0003 goes up and down on a box's database, keeping the print jobs it had."""

import sqlite3

from flask_migrate import downgrade, upgrade

from app import create_app
from app.extensions import db
from tests.support.helpers import register_config


def columns(path, table):
    connection = sqlite3.connect(path)
    try:
        return [row[1] for row in connection.execute(f"PRAGMA table_info({table})")]
    finally:
        connection.close()


def test_0003_upgrades_and_downgrades(db_path):
    app = create_app(register_config(db_path))
    with app.app_context():
        downgrade(revision="0002")
        assert "interrupted" not in columns(db_path, "print_job")
        connection = sqlite3.connect(db_path)
        connection.execute(
            "INSERT INTO print_job (uuid, idempotency_key, kind, copy_number, payload, state, attempts, created_at)"
            " VALUES ('u1', 'k1', 'receipt', 0, '{}', 'queued', 0, '2026-11-23 10:00:00')"
        )
        connection.commit()
        connection.close()
        upgrade()
        assert {"interrupted", "started_at"} <= set(columns(db_path, "print_job"))
        assert columns(db_path, "device_status") and columns(db_path, "virtual_print")
        connection = sqlite3.connect(db_path)
        assert connection.execute("SELECT uuid, interrupted FROM print_job").fetchall() == [("u1", 0)]
        connection.close()
        downgrade(revision="0002")
        assert columns(db_path, "device_status") == []
        upgrade()
        db.engine.dispose()
