"""One page of a list of documents — the Liste des DC/RC (cash_list.py) and the safe's Liste
des opérations (safe_list.py): the manual's filters over one table, newest first, a page at
a time, and the shop's days they are read in.

Plain SQL and plain rows: each list is read over a year of documents beside a raw SQL floor
(bench/cash_documents.py, bench/safe.py). Through the ORM, building the statement, parsing
each row's time in Python and reading each cell through a Row cost more than the query."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from typing import NamedTuple
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

from app.database import from_sql_time, raw_cursor, sql_time

PAGE = 50


@dataclass(frozen=True)
class ListFilter:
    """The filters as parsed (app/services/parsing.py reads the typed text). Each list names
    its own types (`kind` as typed) and checks them; a list without a method or a cashier
    column leaves those empty."""

    number: int | None = None  # any part of the number: 12 finds 12, 112, 1203…
    kind: str | None = None
    amount_cents: int | None = None
    day: date | None = None  # the shop's day
    method_code: str | None = None
    cashier_code: str | None = None
    before_id: int | None = None  # the next page: documents older than this one


def day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The shop's day in UTC."""
    start = datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(timezone.utc)
    return start, end


def day_choices(zone: str, chosen: date | None) -> dict:
    """The day buttons of the date filter (a kiosk has no keyboard): today, yesterday, and
    the days either side of the one chosen."""
    today = datetime.now(ZoneInfo(zone)).date()
    around = chosen or today
    return {
        "today": today,
        "yesterday": today - timedelta(days=1),
        "previous": around - timedelta(days=1),
        "next": around + timedelta(days=1) if around < today else None,
    }


def where_of(filters: ListFilter, kind: str | None, zone: str) -> tuple[str, tuple]:
    """The filters as a WHERE clause over the documents' table, aliased `m` (every column
    named alike in cash_movement and safe_movement), and its parameters. `kind`: the
    filter's type as the table stores it (each list reads its own words for it)."""
    clauses, parameters = [], []
    if filters.number is not None:  # digits only: nothing to escape in LIKE
        clauses.append("CAST(m.number AS VARCHAR) LIKE '%' || ? || '%'")
        parameters.append(str(filters.number))
    if kind is not None:
        clauses.append("m.kind = ?")
        parameters.append(kind)
    if filters.amount_cents is not None:
        clauses.append("m.amount_cents = ?")
        parameters.append(filters.amount_cents)
    if filters.day is not None:
        clauses.append("m.created_at >= ? AND m.created_at < ?")
        parameters += [sql_time(moment) for moment in day_bounds(filters.day, zone)]
    if filters.method_code:
        clauses.append("m.method_code = ?")
        parameters.append(filters.method_code)
    if filters.cashier_code:
        clauses.append("m.created_by_code = ?")
        parameters.append(filters.cashier_code)
    if filters.before_id is not None:
        clauses.append("m.id < ?")
        parameters.append(filters.before_id)
    return (" WHERE " + " AND ".join(clauses) if clauses else ""), tuple(parameters)


def read_page(session: Session, select: str, where: tuple[str, tuple], row: type[NamedTuple]):
    """One page of `select` (its columns in `row`'s order, `created_at` among them) and
    whether older documents match too. Rows are `row` tuples: a template reads their cells
    as fast as Python reads a tuple's."""
    clause, parameters = where
    sql = f"{select}{clause} ORDER BY m.id DESC LIMIT {PAGE + 1}"
    at = row._fields.index("created_at")
    rows = [
        row(*values[:at], from_sql_time(values[at]), *values[at + 1 :])
        for values in map(tuple, raw_cursor(session).execute(sql, parameters))
    ]
    return rows[:PAGE], len(rows) > PAGE
