"""Writing many rows at once in the session's transaction: PostgreSQL's COPY, SQLite's executemany.

A catalogue import writes 100 000 products; one INSERT per row, or SQLAlchemy's multi-row
VALUES (psycopg re-parses every such statement), costs tens of seconds on PostgreSQL where
COPY takes about one. Rows are plain tuples in the order of `columns`.
"""

from collections.abc import Sequence

from sqlalchemy import text
from sqlalchemy.orm import Session

CHUNK = 900  # SQLite's bound parameters per statement stay under its limit


def _dbapi(session: Session):
    return session.connection().connection.dbapi_connection


def _is_postgres(session: Session) -> bool:
    return session.get_bind().dialect.name == "postgresql"


def insert_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    if not rows:
        return
    names = ", ".join(columns)
    if _is_postgres(session):
        with _dbapi(session).cursor() as cursor, cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in rows:
                copy.write_row(row)
        return
    marks = ", ".join("?" for _ in columns)
    cursor = _dbapi(session).cursor()
    try:
        cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)
    finally:
        cursor.close()


def update_rows(session: Session, table: str, columns: Sequence[str], rows: Sequence[tuple]) -> None:
    """UPDATE by primary key: each row is (id, *values of columns)."""
    if not rows:
        return
    if _is_postgres(session):
        # COPY into a scratch copy of the columns, then one UPDATE … FROM.
        scratch = f"_bulk_{table}"
        session.execute(
            text(
                f"CREATE TEMPORARY TABLE {scratch} ON COMMIT DROP AS"
                f" SELECT id, {', '.join(columns)} FROM {table} WITH NO DATA"
            )
        )
        insert_rows(session, scratch, ("id", *columns), rows)
        assignments = ", ".join(f"{name} = s.{name}" for name in columns)
        session.execute(text(f"UPDATE {table} t SET {assignments} FROM {scratch} s WHERE t.id = s.id"))
        session.execute(text(f"DROP TABLE {scratch}"))
        return
    assignments = ", ".join(f"{name} = ?" for name in columns)
    cursor = _dbapi(session).cursor()
    try:
        cursor.executemany(
            f"UPDATE {table} SET {assignments} WHERE id = ?", [(*row[1:], row[0]) for row in rows]
        )
    finally:
        cursor.close()


def delete_ids(session: Session, table: str, ids: Sequence[int]) -> None:
    for start in range(0, len(ids), CHUNK):
        chunk = list(ids[start : start + CHUNK])
        marks = ", ".join(f":i{n}" for n in range(len(chunk)))
        session.execute(
            text(f"DELETE FROM {table} WHERE id IN ({marks})"), {f"i{n}": v for n, v in enumerate(chunk)}
        )
