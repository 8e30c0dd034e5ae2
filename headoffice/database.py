"""Engine set-up that depends on the database behind the URL.

SQLite is the default for a small head office or a demo; PostgreSQL is the real thing.
Only SQLite needs tuning, and every tweak here is harmless to skip elsewhere.
"""

from sqlalchemy import event
from sqlalchemy.engine import Engine
from sqlalchemy.orm import Session

WRITE_OPTION = "headoffice_write"


def configure_engine(engine: Engine, busy_timeout_ms: int = 5000) -> None:
    if engine.dialect.name != "sqlite" or getattr(engine, "_headoffice_configured", False):
        return
    engine._headoffice_configured = True  # type: ignore[attr-defined]

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection, _record):
        # Let the "begin" listener below emit BEGIN itself.
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        # WAL: the pull API and snapshot reads do not block a box's export write.
        cursor.execute("PRAGMA journal_mode=WAL")
        cursor.execute("PRAGMA synchronous=FULL")
        cursor.execute("PRAGMA foreign_keys=ON")
        cursor.execute(f"PRAGMA busy_timeout={int(busy_timeout_ms)}")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection):
        # A deferred transaction that reads and then writes fails at once ("database is
        # locked") if another writer committed in between; busy_timeout cannot help it.
        # Writers therefore ask for IMMEDIATE, which takes the write lock before reading.
        # Readers (snapshots of 100 000 products) stay deferred so they block nobody.
        if connection.get_execution_options().get(WRITE_OPTION):
            connection.exec_driver_sql("BEGIN IMMEDIATE")
        else:
            connection.exec_driver_sql("BEGIN")


def begin_write(session: Session) -> None:
    """Start the session's next transaction as a writer (BEGIN IMMEDIATE on SQLite).

    Ends any read transaction first: objects loaded before are expired, so callers read
    what they need into plain values before calling this.
    """
    session.rollback()
    session.connection(execution_options={WRITE_OPTION: True})
