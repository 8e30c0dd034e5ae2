"""The SQLite recipe: pragmas, BEGIN IMMEDIATE, a schema that is exactly the models'."""

import sqlite3
import threading
from datetime import datetime

import pytest
from sqlalchemy import text
from sqlalchemy.exc import OperationalError

from app import create_app
from app.extensions import db
from app.models import JournalEntry, utcnow
from tests.support.helpers import register_config


def test_pragmas_are_set_on_every_connection(app, ctx):
    values = {
        name: db.session.execute(text(f"PRAGMA {name}")).scalar()
        for name in ("journal_mode", "synchronous", "foreign_keys", "busy_timeout")
    }
    assert values == {"journal_mode": "wal", "synchronous": 2, "foreign_keys": 1, "busy_timeout": 5000}


def test_migrations_match_the_models(app, ctx):
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    with db.engine.connect() as connection:
        diff = compare_metadata(MigrationContext.configure(connection), db.metadata)
    assert diff == []


def test_write_transactions_take_the_lock_up_front(db_path, headoffice):
    """With a deferred BEGIN two writers could both read then both write; IMMEDIATE makes
    the second one wait (and here, with a tiny busy timeout, give up) before reading."""
    app = create_app(register_config(db_path, SQLITE_BUSY_TIMEOUT_MS=50))
    with app.app_context():
        db.session.execute(text("SELECT 1"))  # holds the write lock from here
        failures = []

        def second_writer():
            with app.app_context():
                try:
                    db.session.execute(text("SELECT count(*) FROM journal_entry"))
                except OperationalError as error:
                    failures.append(str(error))
                finally:
                    db.session.remove()

        thread = threading.Thread(target=second_writer)
        thread.start()
        thread.join()
        db.session.rollback()
        assert failures and "locked" in failures[0]


def test_times_are_stored_utc_and_naive_times_refused(app, ctx):
    entry = JournalEntry(at=utcnow(), action="test", outcome="ok")
    db.session.add(entry)
    db.session.commit()
    db.session.expire_all()
    assert db.session.get(JournalEntry, entry.id).at.utcoffset().total_seconds() == 0
    db.session.add(JournalEntry(at=datetime.now(), action="test", outcome="ok"))
    with pytest.raises(Exception, match="naive datetime"):
        db.session.commit()
    db.session.rollback()


def test_money_columns_are_integers(db_path):
    connection = sqlite3.connect(db_path)
    columns = connection.execute(
        "SELECT name, type FROM pragma_table_info('ticket') WHERE name LIKE '%cents'"
    ).fetchall()
    connection.close()
    assert columns and all(kind == "BIGINT" for _name, kind in columns)


def test_raw_cursor_rows_are_read_by_column_name(app, ctx):
    """The hot paths' plain SQL reads columns by name, so a column added to a SELECT cannot
    shift what they read; the ORM on the same connection keeps its own rows."""
    from app.database import raw_cursor

    row = (
        raw_cursor(db.session)
        .execute("SELECT 'receipt' AS kind, 1640 AS total_cents, NULL AS reference")
        .fetchone()
    )
    assert (row["kind"], row["total_cents"], row["reference"]) == ("receipt", 1640, None)
    assert dict(row) == {"kind": "receipt", "total_cents": 1640, "reference": None}
    assert db.session.execute(text("SELECT 2 AS two")).one().two == 2
    db.session.rollback()
