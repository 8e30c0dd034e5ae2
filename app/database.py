"""SQLite as the embedded database: the pragmas every connection gets, and the transaction recipe.

Every transaction starts with BEGIN IMMEDIATE: pysqlite's own deferred BEGIN lets two
processes (two gunicorn workers, the scheduler) read the same row and then both write,
losing one update. IMMEDIATE takes the write lock up front, and busy_timeout makes the
second writer wait instead of failing.
"""

import contextvars
import sqlite3
from contextlib import contextmanager
from datetime import datetime, timezone
from urllib.parse import quote

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session


def is_sqlite(engine: Engine) -> bool:
    return engine.dialect.name == "sqlite"


def configure_sqlite(engine: Engine, busy_timeout_ms: int = 5000) -> None:
    if not is_sqlite(engine) or getattr(engine, "_comptoir_configured", False):
        return
    engine._comptoir_configured = True

    @event.listens_for(engine, "do_connect")
    def _never_create(_dialect, _record, cargs, cparams):
        # sqlite3.connect creates a missing file: a box whose database vanished (wrong
        # folder, lost card, a restore gone wrong) would then run on an empty one. Only
        # the migrations create the database (allow_creation); everyone else opens it
        # read-write, or fails with "unable to open database file".
        if _creation_allowed.get() or cparams.get("uri") or not cargs or cargs[0] == ":memory:":
            return
        cargs[0] = f"file:{quote(cargs[0])}?mode=rw"
        cparams["uri"] = True

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let SQLAlchemy's "begin" event emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA journal_mode=WAL")
        # FULL: a sale acknowledged to the cashier survives a power cut.
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        connection.exec_driver_sql("BEGIN IMMEDIATE")


_creation_allowed = contextvars.ContextVar("comptoir_create_database", default=False)


@contextmanager
def allow_creation():
    """Within this block a missing database file may be created: `flask db upgrade` (the
    migrations' env.py), hence provisioning, `make demo` and the tests' fixtures."""
    token = _creation_allowed.set(True)
    try:
        yield
    finally:
        _creation_allowed.reset(token)


def raw_cursor(session: Session) -> sqlite3.Cursor:
    """A DBAPI cursor on the session's own connection and transaction (BEGIN IMMEDIATE already
    sent), for the till's hot paths where the ORM would cost several times the SQL itself.

    Its rows are sqlite3.Row, read by column name (`row["total_cents"]`): a column added to a
    SELECT cannot shift what the code reads, and Row is built in C, as cheap as a tuple. Only
    this cursor gets the factory; the connection's other users (the ORM) keep plain tuples."""
    cursor = session.connection().connection.dbapi_connection.cursor()
    cursor.row_factory = sqlite3.Row
    return cursor


def sql_time(moment) -> str:
    """How SQLAlchemy's DateTime stores a (UTC) moment in SQLite, so the ORM reads it back."""
    return moment.astimezone(timezone.utc).strftime("%Y-%m-%d %H:%M:%S.%f")


def from_sql_time(text: str | None):
    """Back from plain SQL: SQLite hands the stored text, naive UTC."""
    return datetime.fromisoformat(text).replace(tzinfo=timezone.utc) if text else None


@contextmanager
def read_snapshot(session: Session):
    """A cursor on a read-only connection of its own, in one deferred read transaction: a
    consistent snapshot of the database (WAL) that takes no lock. Every session transaction
    begins IMMEDIATE, so a report reading a month of tickets through the session would hold
    the write lock for the whole read and a sale's Valider would wait behind it; from here the
    till writes on meanwhile. Rows are sqlite3.Row, as from raw_cursor. The caller ends its
    session's own transaction first (a read-only service rolls it back)."""
    engine = session.get_bind()
    path = engine.url.database if is_sqlite(engine) else None
    if not path or path == ":memory:" or path.startswith("file:"):
        yield raw_cursor(session)  # a database only this connection sees
        return
    connection = sqlite3.connect(f"file:{quote(path)}?mode=ro", uri=True, isolation_level=None)
    try:
        connection.row_factory = sqlite3.Row
        connection.execute("BEGIN")  # deferred: the snapshot starts with the first read
        yield connection.cursor()
    finally:
        connection.close()
