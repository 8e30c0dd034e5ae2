"""Rapports de caisse over 30 days × 2,000 tickets, beside a floor measured in the same run: a
bare Flask route on the same app running the reports' own SQL, raw, over the same days and
returning the rows as text.

    .venv/bin/python bench/reports.py [--runs 40] [--days 30] [--tickets 2000]

The days are opened and closed through the services (each closing signs its period record);
their tickets are then written with plain SQL (a sale, one return in twenty; one to three
lines; one or two payments), spread over the shop's hours.

Target (issue 18, docs/performance.md): the Récapitulatif du point de vente of one day and the
Rapport périodique of the 30 days, p99 ≤ 3 × their floor's p99."""

import argparse
import os
import random
import sqlite3
import statistics
import sys
import tempfile
import time
from datetime import datetime, timedelta, timezone
from pathlib import Path
from zoneinfo import ZoneInfo

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice_demo import headoffice_transport  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.access import public  # noqa: E402
from app.database import raw_cursor  # noqa: E402
from app.extensions import db  # noqa: E402
from app.memory import freeze_startup_objects  # noqa: E402
from app.models import Product, VatRate, new_uuid  # noqa: E402
from app.models.base import set_clock  # noqa: E402
from app.services.lifecycle import open_register  # noqa: E402
from app.services.reports import figures  # noqa: E402
from app.services.reports.periodic import _RECORDS  # noqa: E402
from tests.support.helpers import close_counted  # noqa: E402

PARIS = ZoneInfo("Europe/Paris")
# The statements a report reads, as app/services/reports/figures.py writes them.
FIGURES = (
    figures._TICKETS,
    figures._LINES,
    figures._PAYMENTS,
    figures._MOVEMENTS,
)


def closed_days(app, count: int) -> list[tuple[int, str, datetime]]:
    """`count` days, one a date, ending yesterday: opened at 9 h, closed empty (signed)."""
    today = datetime.now(PARIS).date()
    days = []
    for back in range(count, 0, -1):
        opened = datetime.combine(today - timedelta(days=back), datetime.min.time(), PARIS) + timedelta(
            hours=9
        )
        set_clock(opened.astimezone(timezone.utc) - datetime.now(timezone.utc))
        with app.app_context():
            day = open_register(db.session, "RESP01", "1234", 15000)
            days.append((day.id, day.uuid, opened))
            close_counted(db.session)
            db.session.remove()
    set_clock()
    return days


def tickets_of_days(path: Path, app, days, per_day: int) -> None:
    rng = random.Random(18)
    with app.app_context():
        products = [
            (p.code, p.name, p.category_code, p.price_cents, rate)
            for p, rate in db.session.execute(
                select(Product, VatRate.rate_bp)
                .join(VatRate, VatRate.code == Product.vat_code)
                .where(Product.price_cents > 0)
            )
        ]
        db.session.remove()
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    number = 1_000_000
    next_id = connection.execute("SELECT COALESCE(MAX(id), 0) + 1 FROM ticket").fetchone()[0]
    tickets, lines, payments, taxes = [], [], [], []
    for day_id, _uuid, opened in days:
        for index in range(per_day):
            number += 1
            ticket_id = next_id
            next_id += 1
            at = (opened + timedelta(seconds=index * 36000 // per_day)).astimezone(timezone.utc)
            stamp = at.strftime("%Y-%m-%d %H:%M:%S.%f")
            sign = -1 if index % 20 == 19 else 1
            total, per_rate = 0, {}
            for position, (code, name, category, price, rate) in enumerate(
                rng.sample(products, rng.randint(1, 3)), 1
            ):
                quantity = rng.randint(1, 3) * 1000 * sign
                line_total = price * quantity // 1000
                discount = line_total // 10 if rng.random() < 0.1 else 0
                lines.append(
                    (
                        ticket_id,
                        position,
                        code,
                        name,
                        category,
                        quantity,
                        "unit",
                        price,
                        discount,
                        rate,
                        line_total - discount,
                    )
                )
                total += line_total - discount
                per_rate[rate] = per_rate.get(rate, 0) + line_total - discount
            kind = "sale" if sign > 0 else "return"
            tickets.append(
                (
                    ticket_id,
                    new_uuid(),
                    "CAISSE01",
                    day_id,
                    number,
                    kind,
                    "open",
                    "VEND01",
                    "Vendeur",
                    stamp,
                    stamp,
                    0,
                    total,
                    0,
                )
            )
            method = rng.choice(("ESP", "CB", "CB", "CHQ"))
            payments.append((new_uuid(), ticket_id, method, method, total, stamp))
            for rate, amount in per_rate.items():
                base = amount * 10000 // (10000 + rate)
                taxes.append((ticket_id, rate, base, amount - base, amount))
    connection.executemany(
        "INSERT INTO ticket (id, uuid, register_code, day_id, number, kind, status, seller_code, seller_name,"
        " created_at, finished_at, discount_cents, total_cents, training) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
        tickets,
    )
    connection.executemany(
        "INSERT INTO ticket_line (ticket_id, position, product_code, label, category_code, quantity_milli, unit,"
        " unit_price_cents, discount_cents, vat_rate_bp, total_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        lines,
    )
    connection.executemany(
        "INSERT INTO payment (uuid, ticket_id, method_code, method_name, amount_cents, created_at) VALUES (?,?,?,?,?,?)",
        payments,
    )
    connection.executemany(
        "INSERT INTO ticket_tax (ticket_id, rate_bp, base_cents, tax_cents, total_cents) VALUES (?,?,?,?,?)",
        taxes,
    )
    # Written open, then finished: a finished ticket's rows cannot change (the selling triggers).
    connection.execute("UPDATE ticket SET status = 'finished' WHERE number > 1000000")
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def p99(values):
    return values[min(len(values) - 1, int(len(values) * 0.99))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=40)
    parser.add_argument("--days", type=int, default=30)
    parser.add_argument("--tickets", type=int, default=2000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    from flask_migrate import upgrade

    path = folder / "box.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HEADOFFICE_TOKEN": "demo-box-token",
            "HEADOFFICE_TRANSPORT": headoffice_transport(folder),
            "SIGN_IN_IDLE_MINUTES": 600,
            "SIGN_IN_MAX_MINUTES": 600,
        }
    )
    floors = {}

    @app.get("/_bench/floor/<name>")
    @public("the benchmark's floor: the reports' SQL, raw")
    def floor(name):
        day_ids, uuids = floors[name]
        cursor = raw_cursor(db.session)
        marks = ", ".join("?" * len(day_ids))
        parts = [
            "\n".join(
                "|".join(str(v) for v in row) for row in cursor.execute(sql.format(days=marks), day_ids)
            )
            for sql in FIGURES
        ]
        if uuids:
            rows = cursor.execute(
                _RECORDS.format(uuids=", ".join("?" * len(uuids))), ["period", "day", *uuids]
            )
            parts.append("\n".join(row["payload"] for row in rows))
        db.session.rollback()
        return "\n".join(parts)

    with app.app_context():
        upgrade()
    freeze_startup_objects()
    client = app.test_client()
    client.post("/sync/import", data={"register": "CAISSE01", "person": "VEND01", "password": "1111"})
    started = time.perf_counter()
    days = closed_days(app, args.days)
    tickets_of_days(path, app, days, args.tickets)
    print(f"{args.days} days × {args.tickets} tickets written in {time.perf_counter() - started:.1f} s")
    response = client.post("/entrer", data={"person": "RESP01", "password": "1234", "next": "/rapports"})
    assert response.status_code in (200, 303), response.status_code

    middle_id, middle_uuid, middle = days[len(days) // 2]
    first, last = days[0][2].date(), days[-1][2].date()
    floors["day"] = ([middle_id], [])
    floors["period"] = ([d[0] for d in days], [d[1] for d in days])
    cases = {
        "Récapitulatif du point de vente (1 day)": (
            f"/rapports/point-de-vente?jour={middle.date()}&onglet=ventes",
            "day",
        ),
        f"Rapport périodique ({args.days} days)": (f"/rapports/periodique?du={first}&au={last}", "period"),
    }
    print(f"Rapports de caisse, {args.runs} runs (ms, median / p99)")
    worst = 0.0
    for name, (url, floor_name) in cases.items():
        page = client.get(url)
        html = page.get_data(as_text=True)
        assert page.status_code == 200 and "Vente au total" in html, html[:300]
        route, bare = [], []
        for run in range(args.runs + 5):
            for samples, target in ((route, url), (bare, f"/_bench/floor/{floor_name}")):
                start = time.perf_counter()
                client.get(target)
                if run >= 5:  # the first calls warm caches and compile templates
                    samples.append((time.perf_counter() - start) * 1000)
        route.sort()
        bare.sort()
        ratio = p99(route) / p99(bare)
        worst = max(worst, ratio)
        print(
            f"  {name:<42} route {statistics.median(route):7.1f} / {p99(route):7.1f}"
            f"   floor {statistics.median(bare):7.1f} / {p99(bare):7.1f}   p99 ratio {ratio:4.2f}"
        )
    print(f"worst p99 ratio {worst:.2f} (target ≤ 3)")
    return 0 if worst <= 3 else 1


if __name__ == "__main__":
    sys.exit(main())
