"""The closing page for a busy day, beside one raw SQLite GROUP BY over the same rows.

    .venv/bin/python bench/closing.py [--tickets 20000] [--runs 30]

A day of 20,000 finished tickets (1 to 3 lines, one payment each, cash / card / cheque) is
written straight into the database, then GET /fermeture (the closing page: every payment
method's figures, the ticket count, the count form) is timed against the bare
`SELECT method, SUM, COUNT … GROUP BY method` over the day's payments.
Target: page ≤ 3 × the GROUP BY, and under 200 ms. Valider la fermeture (with the Z report)
is timed once at the end."""

import argparse
import os
import random
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
import uuid
from datetime import datetime, timezone
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice_demo import headoffice_transport  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.services.closing import ClosingRequest, MethodCount, close_day, summarise_day  # noqa: E402
from app.services.lifecycle import open_register, register_state  # noqa: E402
from app.sync.client import HeadOfficeClient  # noqa: E402
from app.sync.importing import import_register  # noqa: E402

GROUP_BY = (
    "SELECT p.method_code, SUM(p.amount_cents), COUNT(*) FROM payment p "
    "JOIN ticket t ON t.id = p.ticket_id WHERE t.day_id = ? AND t.status = 'finished' "
    "GROUP BY p.method_code"
)


def write_day(path: Path, day_id: int, tickets: int) -> None:
    """Finished tickets as Valider writes them (open first: the triggers lock finished ones)."""
    rng = random.Random(7)
    now = datetime.now(timezone.utc).replace(tzinfo=None).isoformat(sep=" ")
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("BEGIN IMMEDIATE")
    ticket_rows, line_rows, payment_rows, tax_rows = [], [], [], []
    line_id = 0
    for number in range(1, tickets + 1):
        total = 0
        for position in range(1, rng.randint(1, 3) + 1):
            line_id += 1
            price = rng.randint(50, 2000)
            total += price
            line_rows.append((line_id, number, position, "P1", "Article", 1000, "unit", price, 0, 550, price))
        method = ("ESP", "CB", "CHQ")[number % 3]
        ticket_rows.append(
            (
                number,
                str(uuid.uuid4()),
                "CAISSE01",
                day_id,
                number,
                "sale",
                "open",
                "VEND01",
                "Vendeur",
                now,
                now,
                0,
                total,
            )
        )
        payment_rows.append((str(uuid.uuid4()), number, method, method, total, now))
        base = round(total * 10000 / 10550)
        tax_rows.append((number, 550, base, total - base, total))
    connection.executemany(
        "INSERT INTO ticket (id, uuid, register_code, day_id, number, kind, status, seller_code, seller_name,"
        " created_at, finished_at, discount_cents, total_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ticket_rows,
    )
    connection.executemany(
        "INSERT INTO ticket_line (id, ticket_id, position, product_code, label, quantity_milli, unit,"
        " unit_price_cents, discount_cents, vat_rate_bp, total_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?)",
        line_rows,
    )
    connection.executemany(
        "INSERT INTO payment (uuid, ticket_id, method_code, method_name, amount_cents, created_at)"
        " VALUES (?,?,?,?,?,?)",
        payment_rows,
    )
    connection.executemany(
        "INSERT INTO ticket_tax (ticket_id, rate_bp, base_cents, tax_cents, total_cents) VALUES (?,?,?,?,?)",
        tax_rows,
    )
    connection.execute("UPDATE ticket SET status = 'finished'")
    connection.execute(
        "INSERT OR REPLACE INTO sequence (register_code, name, last_value) VALUES ('CAISSE01', 'ticket', ?)",
        (tickets,),
    )
    connection.execute("COMMIT")
    connection.execute("ANALYZE")
    connection.close()


def percentiles(values):
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.99))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=20_000)
    parser.add_argument("--runs", type=int, default=30)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    path = folder / "box.sqlite"
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HEADOFFICE_TOKEN": "demo-box-token",
            "HEADOFFICE_TRANSPORT": headoffice_transport(folder),
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        with HeadOfficeClient.from_config(app.config) as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        day = open_register(db.session, "RESP01", "1234", 15000)
        day_id, day_uuid = day.id, day.uuid
        db.session.remove()
    write_day(path, day_id, args.tickets)

    client = app.test_client()
    client.post(
        "/entrer", data={"person": "RESP01", "password": "1234", "next": "/fermeture"}
    )  # S'identifier
    with client.session_transaction() as cookie:
        cookie["closing"] = {
            "by": "RESP01",
            "day": day_uuid,
            "typed": None,
            "at": datetime.now(timezone.utc).isoformat(),
        }
    raw = sqlite3.connect(path)
    page_times, floor_times = [], []
    for run in range(args.runs + 3):
        start = time.perf_counter()
        raw.execute(GROUP_BY, (day_id,)).fetchall()
        middle = time.perf_counter()
        response = client.get("/fermeture")
        end = time.perf_counter()
        assert response.status_code == 200 and f"Nombre de ticket : {args.tickets}" in response.get_data(
            as_text=True
        )
        if run >= 3:
            floor_times.append((middle - start) * 1000)
            page_times.append((end - middle) * 1000)
    floor_median, floor_p99 = percentiles(floor_times)
    page_median, page_p99 = percentiles(page_times)
    print(f"day of {args.tickets} tickets")
    print(f"{'what':44} {'median ms':>10} {'p99 ms':>9} {'median/floor':>13}")
    print(f"{'floor: raw GROUP BY over the payments':44} {floor_median:10.2f} {floor_p99:9.2f} {1:13.1f}")
    print(
        f"{'GET /fermeture (closing page)':44} {page_median:10.2f} {page_p99:9.2f} {page_median / floor_median:13.1f}"
    )

    with app.app_context():
        summary = summarise_day(db.session, register_state(db.session).open_day)
        cash = summary.cash
        request = ClosingRequest(counts={cash.code: MethodCount(cash.code, typed_cents=cash.expected_cents)})
        db.session.rollback()
        start = time.perf_counter()
        close_day(db.session, "RESP01", "1234", request)
        elapsed = (time.perf_counter() - start) * 1000
        db.session.remove()
    print(f"{'Valider la fermeture (Z report included)':44} {elapsed:10.2f} ms, one password check included")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
