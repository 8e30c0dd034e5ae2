"""Liste des DC/RC over a year of cash documents (≈ 20,000), beside a floor measured in the
same run: a bare Flask route on the same app running the list's own SQL, raw, over the same
rows (same filter, same page) and returning them as text.

    .venv/bin/python bench/cash_documents.py [--runs 200] [--documents 20000]

Target (issue 17, docs/performance.md): for each filter, the route's p99 ≤ 3 × its floor's p99."""

import argparse
import os
import random
import re
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import date, datetime, timedelta, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice_demo import headoffice_transport  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.access import public  # noqa: E402
from app.extensions import db  # noqa: E402
from app.memory import freeze_startup_objects  # noqa: E402
from app.models import RegisterDay, new_uuid  # noqa: E402
from app.services.closing.listing import PAGE, day_bounds as _day_bounds  # noqa: E402
from app.states import CashMovementKind, DayState  # noqa: E402

ZONE = "Europe/Paris"
SQL = (
    "SELECT m.id, m.uuid, m.number, m.kind, p.name, m.amount_cents, m.created_at, m.payer,"
    " m.reason, m.created_by_name FROM cash_movement m"
    " LEFT OUTER JOIN payment_method p ON p.code = m.method_code {where}"
    " ORDER BY m.id DESC LIMIT {limit}"
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
        rows.append(
            (
                new_uuid(),
                "CAISSE01",
                day_id,
                number,
                kind,
                method,
                amount,
                "Apport de monnaie",
                at,
                "RESP01",
                "Resp",
            )
        )
    return rows


# Each case: the list's query string, and the same filter as raw SQL (where, parameters).
def cases(middle: date) -> dict:
    start, end = (moment.strftime("%Y-%m-%d %H:%M:%S.%f") for moment in _day_bounds(middle, ZONE))
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


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    parser.add_argument("--documents", type=int, default=20000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    from flask_migrate import upgrade

    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'box.sqlite'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HEADOFFICE_TOKEN": "demo-box-token",
            "HEADOFFICE_TRANSPORT": headoffice_transport(folder),
            "SIGN_IN_IDLE_MINUTES": 600,
            "SIGN_IN_MAX_MINUTES": 600,
        }
    )
    floors = {}

    @app.get("/_bench/floor/<int:case>")
    @public("the benchmark's floor: the list's SQL, raw")
    def floor(case):
        where, parameters = floors[case]
        cursor = db.session.connection().exec_driver_sql(SQL.format(where=where, limit=PAGE + 1), parameters)
        text = "\n".join("|".join(str(value) for value in row) for row in cursor.fetchall())
        db.session.rollback()
        return text

    with app.app_context():
        upgrade()
    freeze_startup_objects()
    client = app.test_client()
    client.post("/sync/import", data={"register": "CAISSE01", "person": "VEND01", "password": "1111"})
    client.post("/open", data={"person": "RESP01", "password": "1234", "amount": "100"})
    with app.app_context():
        day_id = db.session.scalars(select(RegisterDay.id).where(RegisterDay.state == DayState.OPEN)).one()
        db.session.remove()
    with sqlite3.connect(folder / "box.sqlite", isolation_level=None) as connection:
        connection.execute("BEGIN IMMEDIATE")
        connection.executemany(
            "INSERT INTO cash_movement (uuid, register_code, day_id, number, kind, method_code, amount_cents,"
            " reason, created_at, created_by_code, created_by_name, closing_withdrawal)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 0)",
            year_of_documents(args.documents, day_id),
        )
        connection.execute("COMMIT")
        connection.execute("ANALYZE")
    response = client.post(
        "/entrer", data={"person": "RESP01", "password": "1234", "next": "/caisse/documents"}
    )
    assert response.status_code in (200, 303), response.status_code

    middle = (datetime.now(timezone.utc) - timedelta(days=180)).date()
    print(f"Liste des DC/RC, {args.documents} documents over a year, {args.runs} runs (ms, median / p99)")
    worst = 0.0
    for index, (name, (query, where, parameters)) in enumerate(cases(middle).items()):
        floors[index] = (where, parameters)
        page = client.get("/caisse/documents" + query)
        html = page.get_data(as_text=True)
        assert page.status_code == 200, html[:500]
        shown = len(re.findall(r'href="/caisse/documents/[0-9a-f-]{36}"', html))
        raw = client.get(f"/_bench/floor/{index}").get_data(as_text=True)
        found = len(raw.splitlines()) if raw else 0
        assert shown == min(found, PAGE), (name, shown, found)  # the same rows
        route, bare = [], []
        for run in range(args.runs + 20):
            for samples, url in ((route, "/caisse/documents" + query), (bare, f"/_bench/floor/{index}")):
                start = time.perf_counter()
                client.get(url)
                if run >= 20:
                    samples.append((time.perf_counter() - start) * 1000)
        route.sort()
        bare.sort()
        p99 = lambda values: values[min(len(values) - 1, int(len(values) * 0.99))]  # noqa: E731
        ratio = p99(route) / p99(bare)
        worst = max(worst, ratio)
        print(
            f"  {name:<28} {shown:>3} rows  route {statistics.median(route):6.2f} / {p99(route):6.2f}"
            f"   floor {statistics.median(bare):6.2f} / {p99(bare):6.2f}   p99 ratio {ratio:4.2f}"
        )
    print(f"worst p99 ratio {worst:.2f} (target ≤ 3)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
