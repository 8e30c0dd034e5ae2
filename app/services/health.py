"""Is the box fit to sell: the database file is sound, it answers, and its schema is the
code's."""
import threading
from functools import lru_cache

from alembic.config import Config
from alembic.script import ScriptDirectory
from sqlalchemy import text
from sqlalchemy.exc import SQLAlchemyError

from app import MIGRATIONS_DIR


@lru_cache(maxsize=1)
def expected_revision() -> str | None:
    config = Config()
    config.set_main_option("script_location", MIGRATIONS_DIR)
    return ScriptDirectory.from_config(config).get_current_head()


def database_problem(engine) -> str | None:
    """`PRAGMA quick_check` (the integrity check without the index cross-checks: seconds on
    a Pi for a year of sales, not minutes). None when sound, else what SQLite said. Run on a
    raw connection so no BEGIN IMMEDIATE takes the write lock while it reads."""
    try:
        connection = engine.raw_connection()
    except Exception as error:  # noqa: BLE001 — "file is not a database" and the like
        return _first_line(error)
    try:
        cursor = connection.cursor()
        rows = [row[0] for row in cursor.execute("PRAGMA quick_check").fetchmany(5)]
        cursor.close()
    except Exception as error:  # noqa: BLE001
        return _first_line(error)
    finally:
        connection.close()
    return None if rows == ["ok"] else "; ".join(rows)


def _first_line(error) -> str:
    return (str(getattr(error, "orig", None) or error).splitlines() or ["?"])[0]


_checking = threading.Lock()


def startup_problem(app) -> str | None:
    """The database's soundness, checked once per process (the first request of each
    gunicorn worker) and remembered: a file does not mend itself, and normal requests must
    not pay for the check. After a restore the services are restarted anyway."""
    with _checking:
        if "comptoir.integrity" not in app.extensions:
            from app.extensions import db
            with app.app_context():
                problem = database_problem(db.engine)
            if problem:
                app.logger.error("Base de données endommagée (%s) : la caisse refuse de "
                                 "vendre. Voir docs/technician.md.", problem)
            app.extensions["comptoir.integrity"] = problem
        return app.extensions["comptoir.integrity"]


def check_health(session, integrity_problem: str | None = None) -> dict:
    report = {"status": "ok", "database": "ok", "integrity": "ok", "migrations": "current",
              "revision": None, "expected_revision": expected_revision()}
    if integrity_problem:
        report.update(status="error", database="error", integrity="damaged",
                      migrations="unknown", detail=integrity_problem)
        return report
    try:
        session.execute(text("SELECT 1"))
    except SQLAlchemyError as error:
        session.rollback()
        report.update(status="error", database="error", migrations="unknown",
                      detail=error.__class__.__name__)
        return report
    try:
        report["revision"] = session.execute(
            text("SELECT version_num FROM alembic_version")).scalar()
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
    problem = startup_problem(app)
    if problem:
        click.echo(f"Refusé : la base de données de la caisse est endommagée ({problem}). {process} ne "
                   "démarre pas. Restaurez la dernière sauvegarde : comptoir backup restore "
                   "(docs/technician.md).", err=True)
        sys.exit(DAMAGED_EXIT_STATUS)
