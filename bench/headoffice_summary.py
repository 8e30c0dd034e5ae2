"""Head office on PostgreSQL: the shop summary of a month over 200 registers × 365 days
received, and a bulk catalogue import of 100,000 products, each against a raw SQL floor
measured in the same run (targets: ≤ 3×).

    .venv/bin/python bench/headoffice_summary.py [--registers 200] [--days 365] [--products 100000] [--runs 5]

A throwaway PostgreSQL server is started the way the tests start one (tests/support/postgres.py:
Debian's programs, a Unix socket in a temporary folder, fsync off). The demo is loaded, then
the registers and their received days are written with COPY (not the HTTP path): one batch,
one received_day and its figures per register and day, the figures drawn at random.

Printed, best of --runs (median in brackets):
- summary: headoffice.shop_summary for November (every register, the shop's totals and the
  ratios), against its floor: the same grouped SELECT sent by psycopg, rows fetched;
- import: headoffice.catalog_import.import_catalog of a CSV of N new products, each with an
  EAN-13 (read, every row checked, written, catalogue version raised, committed), against
  its floors: the same rows, already as tuples, written by COPY and by executemany and
  committed (into a fresh shop each run, so every run writes N new products);
- for information: re-importing the same file with every price changed (N updates).
"""

import argparse
import io
import random
import shutil
import statistics
import sys
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice import create_app  # noqa: E402
from headoffice.admin import create_category, create_shop, create_vat_rate  # noqa: E402
from headoffice.catalog_import import import_catalog  # noqa: E402
from headoffice.extensions import db  # noqa: E402
from headoffice.gtin import ean13  # noqa: E402
from headoffice.models import FIGURES  # noqa: E402
from headoffice.shop_summary import Period, shop_summary  # noqa: E402
from tests.support import postgres  # noqa: E402

# The summary's floor: the same two statements the service sends (the shop, then every
# register with its sums for the period), sent by psycopg, rows fetched.
SHOP_SQL = "SELECT id, code, name, timezone FROM shop WHERE code = %s"
FLOOR_SQL = (
    "SELECT r.code, r.name, f.day_count, "
    + ", ".join(f"f.{name}" for name in FIGURES)
    + " FROM register r LEFT OUTER JOIN (SELECT register_code, count(*) AS day_count, "
    + ", ".join(f"CAST(sum({name}) AS BIGINT) AS {name}" for name in FIGURES)
    + " FROM day_figures WHERE shop_id = %s AND business_date >= %s AND business_date <= %s"
    " GROUP BY register_code) AS f ON f.register_code = r.code WHERE r.shop_id = %s ORDER BY r.code"
)


def _timed(function, runs: int) -> tuple[float, float]:
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        function()
        times.append(time.perf_counter() - start)
    return min(times), statistics.median(times)


def _copy(connection, table: str, columns: tuple, rows) -> None:
    with (
        connection.cursor() as cursor,
        cursor.copy(f"COPY {table} ({', '.join(columns)}) FROM STDIN") as copy,
    ):
        for row in rows:
            copy.write_row(row)


def _received(connection, shop_id: int, registers: int, days: int) -> int:
    """200 registers × 365 days: a batch, a day and its figures each, by COPY."""
    rng = random.Random(7)
    first = date(2026, 1, 1)
    codes = [f"R{n:03d}" for n in range(registers)]
    _copy(
        connection,
        "register",
        ("shop_id", "code", "name", "max_float_cents", "counting_mandatory", "blind_count",
         "max_discount_percent", "receipt_header", "receipt_footer"),
        [(shop_id, code, f"Caisse {code}", 100000, True, False, 100, "", "") for code in codes],
    )  # fmt: skip
    with connection.cursor() as cursor:
        cursor.execute("SELECT code, id FROM register WHERE shop_id = %s", (shop_id,))
        ids = dict(cursor.fetchall())
    batches, received, figures = [], [], []
    day_id = 10_000_000
    for code in codes:
        for n in range(days):
            day = first + timedelta(days=n)
            batch_id = f"{rng.getrandbits(128):032x}"
            batch_id = f"{batch_id[:8]}-{batch_id[8:12]}-{batch_id[12:16]}-{batch_id[16:20]}-{batch_id[20:]}"
            opened = f"{day.isoformat()} 07:00:00"
            closed = f"{day.isoformat()} 19:00:00"
            batches.append((batch_id, shop_id, ids[code], code, "0" * 64, '{"days":[]}', closed, 1))
            received.append((day_id, batch_id, batch_id, code, n + 1, opened, closed, 300, 0))
            sales = rng.randint(200_000, 900_000)
            figures.append(
                (day_id, shop_id, code, day, rng.randint(150, 400), sales, sales + rng.randint(0, 20_000),
                 rng.randint(400, 1500), rng.randint(0, 8), rng.randint(0, 5000), rng.randint(0, 20),
                 rng.randint(0, 2), rng.randint(0, 3000), rng.randint(0, 2), rng.randint(0, 20_000),
                 rng.randint(0, 3), rng.randint(0, 50_000))
            )  # fmt: skip
            day_id += 1
    _copy(
        connection,
        "received_batch",
        (
            "batch_id",
            "shop_id",
            "register_id",
            "register_code",
            "body_sha256",
            "body",
            "received_at",
            "day_count",
        ),
        batches,
    )
    _copy(
        connection,
        "received_day",
        ("id", "day_uuid", "batch_id", "register_code", "number", "opened_at", "closed_at", "ticket_count",
         "sales_total_cents"),
        received,
    )  # fmt: skip
    _copy(
        connection,
        "day_figures",
        ("received_day_id", "shop_id", "register_code", "business_date", *FIGURES),
        figures,
    )
    connection.commit()
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    connection.commit()
    return len(figures)


def _summary_bench(app, psycopg_connect, runs: int) -> None:
    month = Period(date(2026, 11, 1), date(2026, 11, 30))
    with app.app_context():
        # Both sides run in an open transaction on a connection already there: what is
        # timed is the summary, not the pool handing out a connection.
        def service():
            return shop_summary("BOUTIQUE01", month)

        result = service()
        best, median = _timed(service, runs * 4)  # milliseconds each: more runs, less noise
        db.session.rollback()
    with psycopg_connect() as connection:

        def floor():
            with connection.cursor() as cursor:
                cursor.execute(SHOP_SQL, ("BOUTIQUE01",))
                shop = cursor.fetchone()
                cursor.execute(FLOOR_SQL, (shop[0], month.start, month.end, shop[0]))
                return cursor.fetchall()

        assert len(floor()) == len(result["registers"])
        floor_best, floor_median = _timed(floor, runs * 4)
    client = app.test_client()
    auth = {"Authorization": "Bearer demo-headoffice-token"}
    http_best, http_median = _timed(
        lambda: client.get("/api/v1/shops/BOUTIQUE01/summary?from=2026-11-01&to=2026-11-30", headers=auth),
        runs,
    )
    print(
        f"shop summary, November, {len(result['registers'])} registers, {result['total']['day_count']} days:"
        f" {best * 1000:.1f} ms ({median * 1000:.1f}); raw SQL floor {floor_best * 1000:.1f} ms"
        f" ({floor_median * 1000:.1f}); ratio {best / floor_best:.2f}× (target ≤ 3×)"
    )
    print(
        f"  the same through GET /api/v1/shops/…/summary (JSON): {http_best * 1000:.1f} ms ({http_median * 1000:.1f})"
    )


def _fresh_shop(app, number: int) -> int:
    with app.app_context():
        shop = create_shop(f"BENCH{number:03d}", "Bench")
        create_vat_rate(shop.code, "TVA20", 2000, "20 %")
        create_category(shop.code, "BAZA", "Bazar")
        db.session.commit()
        return shop.id


def _catalogue_csv(products: int, price_shift: int = 0) -> bytes:
    lines = ["code;name;category_code;vat_code;price;barcodes"]
    lines += [
        f"P{n:07d};Produit numéro {n};BAZA;TVA20;{(n + price_shift) % 5000},{n % 100:02d};{ean13(f'37700{n:07d}')}"
        for n in range(products)
    ]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _import_bench(app, psycopg_connect, products: int, runs: int) -> None:
    data = _catalogue_csv(products)
    shops = iter(range(1, 1000))
    times = []
    for _ in range(runs):
        shop_number = next(shops)
        _fresh_shop(app, shop_number)
        with app.app_context():
            start = time.perf_counter()
            report = import_catalog(f"BENCH{shop_number:03d}", data, "csv")
            times.append(time.perf_counter() - start)
            assert report.applied and report.created == products, report.refused[:3]
    best, median = min(times), statistics.median(times)

    def floor(method: str) -> list[float]:
        found = []
        for _ in range(runs):
            shop_id = _fresh_shop(app, next(shops))
            with psycopg_connect() as connection, connection.cursor() as cursor:
                cursor.execute("SELECT id FROM category WHERE shop_id = %s", (shop_id,))
                category = cursor.fetchone()[0]
                cursor.execute("SELECT id FROM vat_rate WHERE shop_id = %s", (shop_id,))
                vat = cursor.fetchone()[0]
                rows = [
                    (
                        shop_id,
                        f"P{n:07d}",
                        f"Produit numéro {n}",
                        category,
                        vat,
                        (n % 5000) * 100 + n % 100,
                        "unit",
                        True,
                    )
                    for n in range(products)
                ]
                columns = (
                    "shop_id",
                    "code",
                    "name",
                    "category_id",
                    "vat_rate_id",
                    "price_cents",
                    "unit",
                    "active",
                )
                start = time.perf_counter()
                if method == "copy":
                    _copy(connection, "product", columns, rows)
                else:
                    cursor.executemany(
                        f"INSERT INTO product ({', '.join(columns)}) VALUES (%s, %s, %s, %s, %s, %s, %s, %s)",
                        rows,
                    )
                cursor.execute("SELECT code, id FROM product WHERE shop_id = %s", (shop_id,))
                ids = dict(cursor.fetchall())
                barcodes = [(shop_id, ean13(f"37700{n:07d}"), ids[f"P{n:07d}"]) for n in range(products)]
                if method == "copy":
                    _copy(connection, "barcode", ("shop_id", "code", "product_id"), barcodes)
                else:
                    cursor.executemany(
                        "INSERT INTO barcode (shop_id, code, product_id) VALUES (%s, %s, %s)", barcodes
                    )
                connection.commit()
                found.append(time.perf_counter() - start)
        return found

    copy_times = floor("copy")
    many_times = floor("executemany")
    copy_best, many_best = min(copy_times), min(many_times)
    print(
        f"bulk import, {products} new products with a barcode each (CSV):"
        f" {best:.2f} s ({median:.2f}); raw COPY floor {copy_best:.2f} s ({statistics.median(copy_times):.2f}),"
        f" ratio {best / copy_best:.2f}× (target ≤ 3×); raw executemany floor {many_best:.2f} s"
        f" ({statistics.median(many_times):.2f}), ratio {best / many_best:.2f}×"
    )
    changed = _catalogue_csv(products, price_shift=7)
    with app.app_context():
        start = time.perf_counter()
        report = import_catalog("BENCH001", changed, "csv")
        print(
            f"  re-import with every price changed ({report.updated} updates): {time.perf_counter() - start:.2f} s"
        )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--registers", type=int, default=200)
    parser.add_argument("--days", type=int, default=365)
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--only", choices=("summary", "import"), help="one of the two measures")
    args = parser.parse_args()
    why = postgres.missing()
    if why:
        sys.exit(f"PostgreSQL is needed: {why}")
    import psycopg

    folder = Path(tempfile.mkdtemp(prefix="comptoir-pg-"))
    server = postgres.PostgresServer(folder).start()
    try:
        name = server.create_database()
        app = create_app({"SQLALCHEMY_DATABASE_URI": server.url(name)})
        runner = app.test_cli_runner()
        for command in (["init-db"], ["load-demo"]):
            result = runner.invoke(args=command)
            assert result.exit_code == 0, result.output

        def connect():
            return psycopg.connect(host=str(folder), user="postgres", dbname=name)

        print(f"PostgreSQL {server_version(connect)}")
        if args.only != "import":
            with app.app_context():
                shop_id = db.session.execute(
                    db.text("SELECT id FROM shop WHERE code = 'BOUTIQUE01'")
                ).scalar()
            start = time.perf_counter()
            with connect() as connection:
                count = _received(connection, shop_id, args.registers, args.days)
            print(f"{count} received days written by COPY in {time.perf_counter() - start:.1f} s")
            _summary_bench(app, connect, args.runs)
        if args.only != "summary":
            _import_bench(app, connect, args.products, args.runs)
        with app.app_context():
            db.engine.dispose()
    finally:
        server.stop()
        shutil.rmtree(folder, ignore_errors=True)


def server_version(connect) -> str:
    with connect() as connection:
        return connection.execute("SHOW server_version").fetchone()[0]


if __name__ == "__main__":
    sys.stdout = io.TextIOWrapper(sys.stdout.buffer, encoding="utf-8", line_buffering=True)
    main()
