"""Liste des DC/RC over a year of cash documents (≈ 20,000), beside a floor measured in the
same run: a bare Flask route on the same app running the list's own SQL, raw, over the same
rows (same filter, same page) and returning them as text (harness: bench/list_bench.py).

    chrt -f 20 .venv/bin/python bench/cash_documents.py [--runs 200] [--documents 20000]

Target (issue 17, docs/performance.md): for each filter, the route's median ≤ 3 × its
floor's (the must: exit status 1 otherwise); the p99 ratio is printed beside it."""

import argparse
import random
import re
import sys
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice_demo import headoffice_transport  # noqa: E402
from list_bench import Run, box, lines, signed_in_client, write_rows  # noqa: E402

from app.models import new_uuid  # noqa: E402
from app.services.closing.listing import PAGE, day_bounds  # noqa: E402
from app.states import CashMovementKind  # noqa: E402

ZONE = "Europe/Paris"
SQL = (
    "SELECT m.id, m.uuid, m.number, m.kind, p.name, m.amount_cents, m.created_at, m.payer,"
    " m.reason, m.created_by_name FROM cash_movement m"
    " LEFT OUTER JOIN payment_method p ON p.code = m.method_code {where}"
    " ORDER BY m.id DESC LIMIT {limit}"
)
INSERT = (
    "INSERT INTO cash_movement (uuid, register_code, day_id, number, kind, method_code, amount_cents,"
    " reason, created_at, created_by_code, created_by_name, closing_withdrawal)"
    " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)"
)


def year_of_documents(count: int, day_id: int) -> list[tuple]:
    """`count` DC/RC spread over the past year, in time order, amounts of a shop's till."""
    rng = random.Random(17)
    start = datetime.now(timezone.utc) - timedelta(days=365)
    step = timedelta(days=365) / count
    rows = []
    for number in range(1, count + 1):
        kind = CashMovementKind.OUT if rng.random() < 0.5 else CashMovementKind.IN
        at = (start + step * number).strftime("%Y-%m-%d %H:%M:%S.%f")
        method = rng.choice(("ESP", "ESP", "ESP", "CHQ", "CB", "TS"))
        amount = rng.choice((500, 1000, 1250, 2000, 5000)) + rng.randrange(0, 100)
        row = (new_uuid(), "CAISSE01", day_id, number, kind, method, amount, "Apport de monnaie", at)
        rows.append(row + ("RESP01", "Resp"))
    return rows


# Each case: the list's query string, and the same filter as raw SQL (where, parameters).
def cases(middle: date) -> dict:
    start, end = (moment.strftime("%Y-%m-%d %H:%M:%S.%f") for moment in day_bounds(middle, ZONE))
    return {
        "no filter (newest page)": ("", "", ()),
        "jour (a day mid-year)": (
            f"?jour={middle:%d/%m/%Y}",
            "WHERE m.created_at >= ? AND m.created_at < ?",
            (start, end),
        ),
        "numero (part: 123)": (
            "?numero=123",
            "WHERE CAST(m.number AS VARCHAR) LIKE '%' || ? || '%'",
            ("123",),
        ),
        "type DC + montant 12,50": (
            "?type=DC&montant=12,50",
            "WHERE m.kind = ? AND m.amount_cents = ?",
            (CashMovementKind.OUT.value, 1250),
        ),
    }


def read_floor(connection, case) -> list[str]:
    where, parameters = case
    return lines(connection.exec_driver_sql(SQL.format(where=where, limit=PAGE + 1), parameters).fetchall())


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--documents", type=int, default=20000)
    args = parser.parse_args()
    app, folder, day_id, floors = box(headoffice_transport, read_floor)
    write_rows(folder, INSERT, year_of_documents(args.documents, day_id))
    client = signed_in_client(app, "/caisse/documents")

    middle = (datetime.now(timezone.utc) - timedelta(days=180)).date()
    run = Run(client, args.runs, f"Liste des DC/RC, {args.documents} documents over a year")
    for index, (name, (query, where, parameters)) in enumerate(cases(middle).items()):
        floors[index] = (where, parameters)
        page = client.get("/caisse/documents" + query)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html[:500]
        shown = len(re.findall(r'href="/caisse/documents/[0-9a-f-]{36}"', html))
        raw = client.get(f"/_bench/floor/{index}").get_data(as_text=True)
        found = len(raw.splitlines()) if raw else 0
        assert shown == min(found, PAGE), (name, shown, found)  # the same rows
        run.measure(name, shown, "/caisse/documents" + query, f"/_bench/floor/{index}")
    return run.done()


if __name__ == "__main__":
    sys.exit(main())
