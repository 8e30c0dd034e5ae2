"""Is the box fit to sell: the database answers and its schema is the code's."""
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


def check_health(session) -> dict:
    report = {"status": "ok", "database": "ok", "migrations": "current",
              "revision": None, "expected_revision": expected_revision()}
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
