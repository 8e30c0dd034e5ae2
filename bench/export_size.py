"""Bytes on the wire of an export, plain and gzip (gzip since contract 1.2.0).

    .venv/bin/python bench/export_size.py [--tickets 5000]

A day of N finished tickets is written straight into a box's database: 1 to 6 lines taken
from the demo catalog (real codes, labels, barcodes, categories, VAT rates), a few weighed
articles and line discounts, cash with tendered and change / card / cheque. The day is
closed, its batch prepared as Exporter prepares it, and the same batch is PUT to the
reference head office twice through the box's own client: plain (as before 1.2.0), then
gzip (the second is a replay, stored once). Every byte of each request is counted: request
line, headers and body. Also printed: the time to compress on this machine, and the time
each send would take on a 1 Mbit/s uplink."""

import argparse
import gzip
import os
import random
import shutil
import sqlite3
import sys
import tempfile
import time
import uuid
from datetime import datetime, timedelta, timezone
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from headoffice_demo import headoffice_transport  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import ExportBatch, Staff  # noqa: E402
from app.services.closing import ClosingRequest, MethodCount, close_day, summarise_day  # noqa: E402
from app.services.lifecycle import open_register, register_state  # noqa: E402
from app.sync.client import HeadOfficeClient  # noqa: E402
from app.sync.exporting import prepare_batch  # noqa: E402
from app.sync.importing import import_register  # noqa: E402


class CountingTransport(httpx.BaseTransport):
    """The reference head office in-process, counting what each request puts on the wire."""

    def __init__(self, inner):
        self.inner = inner
        self.sent: list[tuple[str, int, int]] = []  # (encoding, header bytes, body bytes)

    def handle_request(self, request):
        head = len(f"{request.method} {request.url.raw_path.decode()} HTTP/1.1\r\n")
        head += sum(len(k) + len(v) + 4 for k, v in request.headers.raw) + 2
        if request.method == "PUT":
            self.sent.append(
                (request.headers.get("content-encoding", "identity"), head, len(request.content))
            )
        return self.inner.handle_request(request)


def write_day(path: Path, day_id: int, tickets: int) -> None:
    """Finished tickets as Valider writes them (open first: the triggers lock finished ones)."""
    rng = random.Random(14)
    connection = sqlite3.connect(path, isolation_level=None)
    catalog = connection.execute(
        "SELECT p.code, p.name, p.category_code, p.price_cents, p.unit, v.rate_bp, b.code"
        " FROM product p JOIN vat_rate v ON v.code = p.vat_code"
        " LEFT JOIN barcode b ON b.product_code = p.code"
    ).fetchall()
    methods = dict(connection.execute("SELECT code, name FROM payment_method").fetchall())
    connection.execute("BEGIN IMMEDIATE")
    start = datetime.now(timezone.utc).replace(tzinfo=None) - timedelta(hours=10)
    ticket_rows, line_rows, payment_rows, tax_rows = [], [], [], []
    for number in range(1, tickets + 1):
        at = (start + timedelta(seconds=7 * number)).isoformat(sep=" ")
        total, taxes = 0, {}
        for position in range(1, rng.randint(1, 6) + 1):
            code, name, category, price, unit, rate, barcode = rng.choice(catalog)
            quantity = rng.randint(150, 1500) if unit == "kg" else rng.choice((1000, 1000, 1000, 2000, 3000))
            gross = price * quantity // 1000
            discount = gross // 10 if rng.random() < 0.05 else 0
            line_total = gross - discount
            total += line_total
            taxes[rate] = taxes.get(rate, 0) + line_total
            line_rows.append(
                (
                    number,
                    position,
                    code,
                    barcode,
                    name,
                    category,
                    quantity,
                    unit,
                    price,
                    discount,
                    rate,
                    line_total,
                )
            )
        method = rng.choice(("ESP", "ESP", "CB", "CB", "CB", "CHQ"))
        tendered = change = None
        if method == "ESP":
            tendered = -(-total // 500) * 500
            change = tendered - total
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
                "Vendeur1 De Caisse",
                at,
                at,
                0,
                total,
            )
        )
        payment_rows.append(
            (str(uuid.uuid4()), number, method, methods.get(method, method), total, tendered, change, at)
        )
        for rate, gross in taxes.items():
            base = round(gross * 10000 / (10000 + rate))
            tax_rows.append((number, rate, base, gross - base, gross))
    connection.executemany(
        "INSERT INTO ticket (id, uuid, register_code, day_id, number, kind, status, seller_code, seller_name,"
        " created_at, finished_at, discount_cents, total_cents) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
        ticket_rows,
    )
    connection.executemany(
        "INSERT INTO ticket_line (ticket_id, position, product_code, barcode, label, category_code,"
        " quantity_milli, unit, unit_price_cents, discount_cents, vat_rate_bp, total_cents)"
        " VALUES (?,?,?,?,?,?,?,?,?,?,?,?)",
        line_rows,
    )
    connection.executemany(
        "INSERT INTO payment (uuid, ticket_id, method_code, method_name, amount_cents, tendered_cents,"
        " change_cents, created_at) VALUES (?,?,?,?,?,?,?,?)",
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
    connection.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--tickets", type=int, default=5_000)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    path = folder / "box.sqlite"
    transport = CountingTransport(headoffice_transport(folder))
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}",
            "SECRET_KEY": "bench",
            "HEADOFFICE_TOKEN": "demo-box-token",
            "HEADOFFICE_TRANSPORT": transport,
            "HEADOFFICE_TIMEOUT_SECONDS": 120.0,
        }
    )
    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        with HeadOfficeClient.from_config(app.config) as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        day_id = open_register(db.session, "RESP01", "1234", 15000).id
        db.session.remove()
    write_day(path, day_id, args.tickets)

    with app.app_context():
        cash = summarise_day(db.session, register_state(db.session).open_day).cash
        db.session.rollback()
        close_day(
            db.session,
            "RESP01",
            "1234",
            ClosingRequest(counts={cash.code: MethodCount(cash.code, typed_cents=cash.expected_cents)}),
        )
        batch = prepare_batch(db.session, db.session.get(Staff, "RESP01"))
        batch_id, body = batch.id, db.session.get(ExportBatch, batch.id).body
        db.session.commit()
        start = time.perf_counter()
        gzip.compress(body.encode(), compresslevel=6, mtime=0)
        compress_ms = (time.perf_counter() - start) * 1000
        for compress in (False, True):
            with HeadOfficeClient.from_config(app.config) as client:
                client.compress_exports = compress
                client.put_export("CAISSE01", batch_id, body)
        db.session.remove()

    print(f"one day of {args.tickets} tickets, batch JSON {len(body.encode()):,} bytes")
    print(f"{'PUT sent':10} {'headers':>8} {'body':>12} {'total':>12} {'per ticket':>11} {'1 Mbit/s':>9}")
    for encoding, head, size in transport.sent:
        total = head + size
        print(
            f"{encoding:10} {head:8,} {size:12,} {total:12,} {total / args.tickets:11.1f} "
            f"{total * 8 / 1e6:8.1f}s"
        )
    plain, packed = (h + s for _, h, s in transport.sent)
    print(f"gzip: {plain / packed:.1f} times fewer bytes; compressing took {compress_ms:.0f} ms here")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
