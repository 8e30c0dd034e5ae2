"""Selling speed (docs/performance.md), beside a floor measured in the same run.

    .venv/bin/python bench/selling.py [--products 100000] [--runs 300] [--tickets 500]

1. Adding a scanned line to a 50-line ticket, 100,000-product catalog: server time of
   POST /vente/scan (HTMX) against a bare route doing one indexed barcode lookup.
   Target: p99 ≤ 3 × the floor's p99.
2. Finishing tickets (Valider: numbering, VAT totals, journal, receipt job, one commit with
   synchronous=FULL): tickets per second through the service. Target ≥ 200/s.
3. The cost of signing (docs/integrity.md): the same finishing with and without the ticket's
   signature, alternating ticket by ticket in one run so both see the same machine.
   Target: overhead ≤ 10 %. Then the same for the whole Valider request (POST /vente/finish,
   HTMX): what the cashier waits for, printed beside it."""

import argparse
import os
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from import_snapshot import fake_headoffice, make_snapshot  # noqa: E402
from sqlalchemy import select  # noqa: E402

from app import create_app  # noqa: E402
from app.access import public  # noqa: E402
from app.extensions import db  # noqa: E402
from app.integrity.chain import Signed  # noqa: E402
from app.integrity.keys import box_key  # noqa: E402
from app.memory import freeze_startup_objects  # noqa: E402
from app.models import Barcode, SellerSession, Ticket, TicketLine  # noqa: E402
from app.services.lifecycle import open_register  # noqa: E402
from app.services.selling import (  # noqa: E402
    add_payment,
    add_product,
    at_work,
    finish_ticket,
    finishing,  # noqa: E402
    remove_line,
)
from app.services.sessions import connect_seller  # noqa: E402
from app.sync.client import HeadOfficeClient  # noqa: E402
from app.sync.importing import import_register  # noqa: E402


def percentiles(values):
    values = sorted(values)
    return statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.99))]


def _unsigned(_session, _register_code, _ticket):
    return Signed("ticket", 0, "-" * 96)


def _valider_requests(app, seller_session, units, tickets):
    """The whole Valider request (HTMX), signed and not, alternating: what the cashier waits
    for. The response is closed after the clock stops, as the server does once it has sent it
    (that is when the next signatures are prepared)."""
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["seller"] = seller_session
    times = {True: [], False: []}
    real_sign = finishing.sign_ticket
    for number in range(2 * tickets):
        with app.app_context():
            for k in range(3):
                code = units[(number * 3 + k + 7) % len(units)]
                ticket = add_product(db.session, at_work(db.session, seller_session), scanned=code).ticket
            add_payment(db.session, at_work(db.session, seller_session), "CB", ticket.total_cents)
            uuid = ticket.uuid
            db.session.remove()
        signing = number % 2 == 0
        finishing.sign_ticket = real_sign if signing else _unsigned
        start = time.perf_counter()
        response = client.post("/vente/finish", data={"ticket": uuid}, headers={"HX-Request": "true"})
        times[signing].append(time.perf_counter() - start)
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        response.close()
    finishing.sign_ticket = real_sign
    return times


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--products", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=300)
    parser.add_argument("--tickets", type=int, default=500)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    snapshot = make_snapshot(args.products)
    snapshot["staff"][0]["rights"] = ["import", "open", "sell", "close"]
    snapshot["payment_methods"].append(
        {
            "code": "CB",
            "name": "Carte Bancaire",
            "gives_change": False,
            "counted_in_drawer": False,
            "goes_to_safe": False,
            "counted_as_items": False,
        }
    )
    app = create_app(
        {
            "SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'box.sqlite'}",
            "SECRET_KEY": "bench",
            "WTF_CSRF_ENABLED": False,
            "HEADOFFICE_TRANSPORT": fake_headoffice(snapshot),
        }
    )
    codes = [b["code"] for b in snapshot["barcodes"]]
    units = [b["code"] for b, p in zip(snapshot["barcodes"], snapshot["products"]) if p["unit"] == "unit"]

    @app.get("/_bench/floor")
    @public("the benchmark's floor: a bare route")
    def floor():
        barcode = db.session.get(Barcode, codes[len(codes) // 2])
        db.session.rollback()
        return barcode.code

    from flask_migrate import upgrade

    with app.app_context():
        upgrade()
        with HeadOfficeClient.from_config(app.config) as client:
            import_register(db.session, client, "CAISSE01", "RESP01", "bench1234")
        open_register(db.session, "RESP01", "bench1234", 10000)
        seller = connect_seller(db.session, "RESP01", "bench1234").uuid
        for code in units[:50]:
            add_product(db.session, at_work(db.session, seller), scanned=code)
        db.session.remove()

    freeze_startup_objects()  # as wsgi.py does in every gunicorn worker
    client = app.test_client()
    with client.session_transaction() as cookie:
        cookie["seller"] = seller
    hx = {"HX-Request": "true"}
    spread = [units[(60 + i) % len(units)] for i in range(args.runs + 20)]
    floor_times, scan_times = [], []
    for run, code in enumerate(spread):
        start = time.perf_counter()
        client.get("/_bench/floor")
        middle = time.perf_counter()
        response = client.post("/vente/scan", data={"code": code}, headers=hx)
        end = time.perf_counter()
        assert response.status_code == 200, response.get_data(as_text=True)[:300]
        if run >= 20:
            floor_times.append((middle - start) * 1000)
            scan_times.append((end - middle) * 1000)
        with app.app_context():  # back to 50 lines, outside the timing
            last = db.session.scalars(select(TicketLine.id).order_by(TicketLine.id.desc()).limit(1)).one()
            remove_line(db.session, at_work(db.session, seller), last)
            db.session.remove()
    with app.app_context():
        lines = db.session.scalars(select(Ticket)).one().lines
        assert len(lines) == 50, len(lines)
        db.session.remove()

    print(f"catalog: {args.products} products; ticket of 50 lines")
    print(f"{'what':52} {'median ms':>10} {'p99 ms':>9} {'p99/floor':>10}")
    floor_median, floor_p99 = percentiles(floor_times)
    scan_median, scan_p99 = percentiles(scan_times)
    print(
        f"{'floor: bare route, one indexed barcode lookup':52} {floor_median:10.2f} {floor_p99:9.2f} {1:10.1f}"
    )
    print(
        f"{'POST /vente/scan (HTMX), 51st line':52} {scan_median:10.2f} {scan_p99:9.2f} {scan_p99 / floor_p99:10.1f}"
    )

    # Finishing: a fresh seller session per run keeps the 50-line ticket out of the way.
    with app.app_context():
        work = db.session.scalars(select(SellerSession)).one()
        work.disconnected_at = None
        db.session.commit()
        second = connect_seller(db.session, "RESP01", "bench1234").uuid
        db.session.execute(db.text("UPDATE ticket SET status = 'suspended' WHERE status = 'open'"))
        db.session.commit()
        signed, unsigned, preparing = [], [], []
        key = box_key()
        real_sign = finishing.sign_ticket
        for number in range(2 * args.tickets):
            for k in range(3):
                code = units[(number * 3 + k + 60) % len(units)]
                ticket = add_product(db.session, at_work(db.session, second), scanned=code).ticket
            add_payment(db.session, at_work(db.session, second), "CB", ticket.total_cents)
            # What a worker does after sending each response (app/integrity/signer.py): the
            # next signatures are prepared while nobody waits. Timed apart, and printed.
            start = time.perf_counter()
            made = key.signer.top_up()
            preparing.append((time.perf_counter() - start, made))
            # Every other ticket skips its signature: the "without" of the same run.
            finishing.sign_ticket = real_sign if number % 2 == 0 else _unsigned
            start = time.perf_counter()
            # Who sells is read once per request (the selling blueprint's before_request).
            finish_ticket(db.session, at_work(db.session, second), ticket.uuid)
            (signed if number % 2 == 0 else unsigned).append(time.perf_counter() - start)
        finishing.sign_ticket = real_sign
        db.session.remove()
    requests = _valider_requests(app, second, units, args.tickets)
    with_ms, without_ms = statistics.median(signed) * 1000, statistics.median(unsigned) * 1000
    print(
        f"{'finish_ticket (Valider), 3 lines, card, signed':52} {with_ms:10.2f} ms/ticket"
        f"  → {1000 / with_ms:.0f} tickets/s (target ≥ 200)"
    )
    print(
        f"{'  the same without the signature':52} {without_ms:10.2f} ms/ticket"
        f"  → signing costs {(with_ms / without_ms - 1) * 100:+.1f} % (target ≤ 10 %)"
    )
    spent = sum(seconds for seconds, _ in preparing)
    made = sum(count for _, count in preparing) or 1
    print(
        f"{'  preparing a signature after a response (k·G)':52} {spent / made * 1e6:10.1f} µs each"
        f"  → {(with_ms + spent / made * 1000) / without_ms * 100 - 100:+.1f} % of CPU in all, nobody waiting"
    )
    with_ms, without_ms = (
        statistics.median(requests[True]) * 1000,
        statistics.median(requests[False]) * 1000,
    )
    print(
        f"{'POST /vente/finish (Valider as the cashier waits)':52} {with_ms:10.2f} ms signed, "
        f"{without_ms:.2f} ms without → {(with_ms / without_ms - 1) * 100:+.1f} %"
    )
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
