"""Server time of each lifecycle screen and HTMX action, beside a floor measured in the same
run: a bare Flask route on the same app doing one indexed lookup.

    .venv/bin/python bench/screens.py [--runs 200]

Target (issue 4): p99 ≤ 3 × the floor's p99. Actions that check a password include one
scrypt verification (Werkzeug's default hash), which is printed apart."""
import argparse
import os
import re
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests"))

from werkzeug.security import check_password_hash, generate_password_hash  # noqa: E402

from app import create_app  # noqa: E402
from app.extensions import db  # noqa: E402
from app.models import Barcode  # noqa: E402
from app.services.lifecycle import close_day  # noqa: E402


def headoffice_transport(folder: Path):
    from headoffice import create_app as create_headoffice
    path = folder / "ho.sqlite"
    ho = create_headoffice({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{path}"})
    runner = ho.test_cli_runner()
    runner.invoke(args=["init-db"])
    runner.invoke(args=["load-demo"])
    return httpx.WSGITransport(app=ho)


def timed(call, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    folder = Path(tempfile.mkdtemp())
    os.environ["COMPTOIR_INSTANCE"] = str(folder)
    from flask_migrate import upgrade
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{folder / 'box.sqlite'}",
                      "SECRET_KEY": "bench", "WTF_CSRF_ENABLED": False, "HEADOFFICE_TOKEN": "demo-box-token",
                      "HEADOFFICE_TRANSPORT": headoffice_transport(folder)})

    @app.get("/_bench/floor")
    def floor():
        barcode = db.session.get(Barcode, "3769999000017")
        db.session.rollback()
        return barcode.code if barcode else "-"

    with app.app_context():
        upgrade()
    client = app.test_client()
    response = client.post("/sync/import", data={"register": "CAISSE01", "person": "VEND01", "password": "1111"}, follow_redirects=True)
    assert "Import termin" in response.get_data(as_text=True), re.search(r"<main.*?</div>", response.get_data(as_text=True), re.S).group(0)
    hx = {"HX-Request": "true"}
    rows = [("floor: bare route, one indexed lookup", timed(lambda: client.get("/_bench/floor"), args.runs))]
    rows.append(("GET / (state B)", timed(lambda: client.get("/"), args.runs)))
    rows.append(("GET /people (HTMX)", timed(lambda: client.get("/people?register=CAISSE02", headers=hx), args.runs)))
    rows.append(("GET /status (HTMX)", timed(lambda: client.get("/status", headers=hx), args.runs)))
    client.post("/open", data={"person": "RESP01", "password": "1234", "amount": "100"})
    rows.append(("GET /caisse", timed(lambda: client.get("/caisse"), args.runs)))
    few = max(10, args.runs // 10)

    def connect_disconnect():
        client.post("/caisse/connect", data={"person": "VEND02", "password": "2222"}, headers=hx)
        client.post("/vente/disconnect", headers=hx)
    rows.append(("POST /caisse/connect + /vente/disconnect (HTMX)", timed(connect_disconnect, few)))

    def open_then_close():
        with app.app_context():
            close_day(db.session, "RESP01", "1234")
            db.session.remove()
        start = time.perf_counter()
        client.post("/open", data={"person": "RESP01", "password": "1234", "amount": "100"}, headers=hx)
        return time.perf_counter() - start
    open_samples = sorted(open_then_close() * 1000 for _ in range(few))
    rows.append(("POST /open (HTMX)", (statistics.median(open_samples), open_samples[-1])))
    hashed = generate_password_hash("1234")
    rows.append(("one scrypt password check alone", timed(lambda: check_password_hash(hashed, "1234"), few)))

    floor_p99 = rows[0][1][1]
    print(f"{'what':52} {'median ms':>10} {'p99 ms':>9} {'p99/floor':>10}")
    for name, (median, p99) in rows:
        print(f"{name:52} {median:10.2f} {p99:9.2f} {p99 / floor_p99:10.1f}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
