"""Is the box fit to sell: the database file is sound, it answers, and its schema is the
code's."""

import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import quote

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError
from sqlalchemy.orm import Session

from app import MIGRATIONS_DIR


@lru_cache(maxsize=1)
def expected_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


@dataclass(frozen=True)
class DatabaseProblem:
    """Why the till must not sell: the file is `missing`, `damaged`, or its `schema` is not
    the code's. `detail` is what SQLite (or the file system) said."""

    kind: str
    detail: str

    def __str__(self) -> str:
        return self.detail


def database_problem(engine) -> DatabaseProblem | None:
    """`PRAGMA quick_check` (the integrity check without the index cross-checks: seconds on
    a Pi for a year of sales, not minutes), then the schema's revision. None when sound.
    On a connection of its own, never a pooled one: a pooled connection may answer from
    pages it cached before the damage. No BEGIN IMMEDIATE either: it only reads."""
    path = engine.url.database
    try:
        connection = sqlite3.connect(
            f"file:{quote(path)}?mode=rw", uri=True, isolation_level=None, timeout=30
        )
    except sqlite3.Error as error:
        return DatabaseProblem("damaged", _first_line(error))
    try:
        rows = [row[0] for row in connection.execute("PRAGMA quick_check").fetchmany(5)]
        if rows != ["ok"]:
            return DatabaseProblem("damaged", "; ".join(rows))
        try:
            revision = connection.execute("SELECT version_num FROM alembic_version").fetchone()
        except sqlite3.OperationalError:  # no such table: never migrated
            revision = None
    except sqlite3.Error as error:
        return DatabaseProblem("damaged", _first_line(error))
    finally:
        connection.close()
    found, expected = (revision[0] if revision else None), expected_revision()
    if found != expected:
        return DatabaseProblem("schema", f"révision {found or 'aucune'}, attendue {expected}")
    return None


def _first_line(error) -> str:
    return (str(getattr(error, "orig", None) or error).splitlines() or ["?"])[0]


class _Watch:
    """One process's knowledge of its database file: what the last check found, and for
    which file (device and inode) and which size and modification time."""

    def __init__(self, path: str):
        self.path = path
        self.lock = threading.Lock()
        self.identity = None
        self.shape = None
        self.checked_at = 0.0
        self.problem: DatabaseProblem | None = None
        self.thread: threading.Thread | None = None

    def join(self, timeout=None) -> None:
        """Wait for a recheck running in the background (tests)."""
        thread = self.thread
        if thread is not None:
            thread.join(timeout)


def watch_of(app) -> _Watch:
    watch = app.extensions.get("comptoir.database_watch")
    if watch is None:
        from app.extensions import db

        with app.app_context():
            path = db.engine.url.database
        watch = app.extensions.setdefault("comptoir.database_watch", _Watch(path))
    return watch


def current_problem(app) -> DatabaseProblem | None:
    """Is the database fit to sell, asked before every request: one stat() of the file.

    The full check (quick_check) runs at the first request, again at once when the file is
    another one (a restore, a copy, a move: the pool is emptied, its connections are on the
    old file), and in the background, at most every DATABASE_RECHECK_SECONDS, once the file
    has been written since the last check (damage in place: a dying card). A request never
    waits for that background check; SQLite errors met while serving are seen at once
    (`problem_from_error`)."""
    watch = watch_of(app)
    try:
        stat = os.stat(watch.path)
    except OSError as error:
        kind = "missing" if isinstance(error, FileNotFoundError) else "damaged"
        return _settle(app, watch, None, None, DatabaseProblem(kind, f"{error.strerror} : {watch.path}"))
    identity, shape = (stat.st_dev, stat.st_ino), (stat.st_size, stat.st_mtime_ns)
    with watch.lock:
        if identity != watch.identity:
            from app.extensions import db

            with app.app_context():
                if watch.identity is not None:
                    db.engine.dispose()
                problem = database_problem(db.engine)
            return _settle(app, watch, identity, shape, problem, locked=True)
        if (
            watch.problem is None
            and shape != watch.shape
            and time.monotonic() - watch.checked_at >= app.config["DATABASE_RECHECK_SECONDS"]
            and not (watch.thread and watch.thread.is_alive())
        ):
            watch.checked_at = time.monotonic()
            watch.thread = threading.Thread(
                target=_recheck, args=(app, watch, identity, shape), name="comptoir-recheck", daemon=True
            )
            watch.thread.start()
        return watch.problem


def _recheck(app, watch, identity, shape) -> None:
    from app.extensions import db

    with app.app_context():
        problem = database_problem(db.engine)
    with watch.lock:
        if watch.identity == identity:  # not replaced meanwhile
            watch.shape = shape
            if problem and not watch.problem:
                _settle(app, watch, identity, shape, problem, locked=True)


def _settle(app, watch, identity, shape, problem, *, locked=False):
    if not locked:
        with watch.lock:
            return _settle(app, watch, identity, shape, problem, locked=True)
    if problem and problem != watch.problem:
        app.logger.error(
            "Base de données inutilisable (%s : %s) : la caisse refuse de vendre. Voir docs/technician.md.",
            problem.kind,
            problem.detail,
        )
    watch.identity, watch.shape, watch.problem = identity, shape, problem
    watch.checked_at = time.monotonic()
    return problem


# SQLite's primary result codes that say the file itself is bad, and those that say it
# could not be read (then the full check decides).
_SQLITE_CORRUPT, _SQLITE_NOTADB = 11, 26
_SQLITE_IOERR, _SQLITE_CANTOPEN = 10, 14


def problem_from_error(app, error) -> DatabaseProblem | None:
    """A request failed on a SQLite error: is the database file the cause? Damage the
    cached check had not seen yet is remembered for this process from now on."""
    code = getattr(getattr(error, "orig", None), "sqlite_errorcode", None)
    if code is None:
        return None
    code &= 0xFF
    watch = watch_of(app)
    if code in (_SQLITE_CORRUPT, _SQLITE_NOTADB):
        with watch.lock:
            if watch.problem is None:
                _settle(
                    app,
                    watch,
                    watch.identity,
                    watch.shape,
                    DatabaseProblem("damaged", _first_line(error)),
                    locked=True,
                )
            return watch.problem
    if code in (_SQLITE_IOERR, _SQLITE_CANTOPEN):
        with watch.lock:
            watch.identity = None  # check again now, whatever the file looks like
        return current_problem(app)
    return None


def check_health(session: Session, problem: DatabaseProblem | None = None) -> dict:
    report = {
        "status": "ok",
        "database": "ok",
        "integrity": "ok",
        "migrations": "current",
        "revision": None,
        "expected_revision": expected_revision(),
    }
    if problem and problem.kind != "schema":  # a schema behind is reported below
        report.update(
            status="error",
            database="error",
            integrity=problem.kind,
            migrations="unknown",
            detail=problem.detail,
        )
        return report
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        session.rollback()
        report.update(status="error", database="error", migrations="unknown", detail=error.__class__.__name__)
        return report
    try:
        report["revision"] = session.execute(text("SELECT version_num FROM alembic_version")).scalar()
    except SQLAlchemyError:
        session.rollback()  # no alembic_version table: never migrated
    if report["revision"] != report["expected_revision"]:
        report.update(status="error", migrations="behind")
    return report


DAMAGED_EXIT_STATUS = 3  # the units say RestartPreventExitStatus=3: no restart loop on a bad file


def refuse_to_start_on_damage(app, process: str) -> None:
    """The scheduler and the printer worker check the database like the web does, and stop
    with a message for the journal instead of working on a damaged file."""
    import sys

    import click

    problem = current_problem(app)
    if problem and problem.kind == "schema":
        click.echo(
            f"Refusé : la base de données de la caisse n'est pas à jour ({problem}). "
            f"{process} ne démarre pas : comptoir db upgrade (docs/technician.md).",
            err=True,
        )
        sys.exit(DAMAGED_EXIT_STATUS)
    if problem:
        state = "absente" if problem.kind == "missing" else "endommagée"
        click.echo(
            f"Refusé : la base de données de la caisse est {state} ({problem}). {process} ne "
            "démarre pas. Restaurez la dernière sauvegarde : comptoir backup restore "
            "(docs/technician.md).",
            err=True,
        )
        sys.exit(DAMAGED_EXIT_STATUS)
