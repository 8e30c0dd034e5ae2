"""Server time of each lifecycle screen and HTMX action, beside a floor measured in the same
run: a bare Flask route on the same app doing one indexed lookup.

    .venv/bin/python bench/screens.py [--runs 200]

Target (docs/performance.md): p99 ≤ 3 × the floor's p99. A person's first right code in a process pays
one scrypt verification (Werkzeug's default hash); later ones are compared with the process's
memory of it (app/services/passwords.py). The first is printed apart, with the hash alone."""

import argparse
import re
import shutil
import sqlite3
import statistics
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from box_app import box_app  # noqa: E402
from headoffice_demo import headoffice_transport  # noqa: E402
from sqlalchemy import select, text  # noqa: E402
from werkzeug.security import check_password_hash, generate_password_hash  # noqa: E402

from app.access import public  # noqa: E402
from app.extensions import db  # noqa: E402
from app.memory import freeze_startup_objects  # noqa: E402
from app.models import Barcode  # noqa: E402
from app.services.passwords import forget_codes  # noqa: E402
from tests.support.helpers import close_counted  # noqa: E402


def timed(call, runs):
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        samples.append((time.perf_counter() - start) * 1000)
    samples.sort()
    return statistics.median(samples), samples[min(len(samples) - 1, int(len(samples) * 0.99))]


def durable_commit(path):
    connection = sqlite3.connect(path, isolation_level=None)
    connection.execute("PRAGMA synchronous=FULL")
    connection.execute("CREATE TABLE IF NOT EXISTS bench_commit (id INTEGER PRIMARY KEY, at REAL)")

    def write():
        connection.execute("BEGIN IMMEDIATE")
        connection.execute("INSERT INTO bench_commit (at) VALUES (?)", (time.time(),))
        connection.execute("COMMIT")

    return write


def interleaved(calls: dict, floor_call, runs, prepare=None) -> list:
    """Each screen timed in turn with the floor, so a noisy moment hits them all alike;
    `prepare` runs untimed before each round (to close the day that Ouvrir opens again)."""
    samples = {name: [] for name in ["floor"] + list(calls)}
    every = {"floor": floor_call, **calls}
    for run in range(runs + 20):
        if prepare:
            prepare()
        for name, call in every.items():
            start = time.perf_counter()
            call()
            if run >= 20:  # the first calls warm caches and compile templates
                samples[name].append((time.perf_counter() - start) * 1000)
    rows = []
    for name, values in samples.items():
        values.sort()
        label = "floor: bare route, one indexed lookup" if name == "floor" else name
        rows.append(
            (label, (statistics.median(values), values[min(len(values) - 1, int(len(values) * 0.99))]))
        )
    return rows


def finish_sync():
    """The import or export started by the last call runs in a thread: wait for it, untimed."""
    for thread in threading.enumerate():
        if thread.name == "comptoir-sync":
            thread.join()


def sync_window(app, client, floor_call, token, close_day, runs) -> list:
    """Importer and Exporter answer at once with the progress window (the work runs beside
    the request, against head office in this process); the window then polls the run."""
    from app.services.lifecycle import open_register, register_state
    from app.sync.client import HeadOfficeClient
    from app.sync.importing import import_register
    from app.sync.runs import start_run

    hx = {"HX-Request": "true"}
    seen, sent = [None], []

    def send_and_wait():
        # The server closes a response once it is sent, and the work starts then: outside
        # the answer's time, as it is outside the time the person waits for the window.
        while sent:
            sent.pop().close()
        finish_sync()

    def window(url, **fields):
        def post():
            response = client.post(url, headers=hx, data={**fields, "screen_token": seen[0]})
            sent.append(response)
            html = response.get_data(as_text=True)
            assert 'role="dialog"' in html and "message-error" not in html, html[:300]

        return post

    def after_import():
        send_and_wait()
        seen[0] = token("/")

    close_day()  # from C to B
    rows = interleaved(
        {
            "POST /sync/import (HTMX), answer with the window": window(
                "/sync/import", register="CAISSE01", person="VEND01", password="1111"
            )
        },
        floor_call,
        runs,
        prepare=after_import,
    )
    send_and_wait()

    with app.app_context():
        run_uuid = start_run(db.session, "import", "CAISSE01", "VEND01").uuid
    rows += interleaved(
        {
            "GET /sync/runs/<uuid> (HTMX poll of a running import)": lambda: client.get(
                f"/sync/runs/{run_uuid}", headers=hx
            )
        },
        floor_call,
        runs * 4,
    )
    with app.app_context():
        db.session.execute(text("UPDATE sync_run SET status = 'failed' WHERE status = 'running'"))
        db.session.commit()

    def to_d():
        send_and_wait()
        with app.app_context():
            if register_state(db.session).code == "A":  # the last export emptied the box
                with HeadOfficeClient.from_config(app.config) as head_office:
                    import_register(db.session, head_office, "CAISSE01", "VEND01", "1111")
            open_register(db.session, "RESP01", "1234", 0)
            close_counted(db.session)
            db.session.remove()
        seen[0] = token("/")

    export = window("/sync/export", person="RESP01", password="1234")
    rows += interleaved(
        {"POST /sync/export (HTMX), answer with the window": export}, floor_call, runs, prepare=to_d
    )
    send_and_wait()
    return rows


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=200)
    args = parser.parse_args()
    from flask_migrate import upgrade

    app, folder = box_app(headoffice_transport)

    a_barcode = [None]

    @app.get("/_bench/floor")
    @public("the benchmark's floor: a bare route")
    def floor():
        barcode = db.session.get(Barcode, a_barcode[0])
        db.session.rollback()
        return barcode.code

    with app.app_context():
        upgrade()
    freeze_startup_objects()  # as wsgi.py does in every gunicorn worker
    client = app.test_client()
    response = client.post(
        "/sync/import",
        data={"register": "CAISSE01", "person": "VEND01", "password": "1111"},
        follow_redirects=True,
    )
    assert "Import termin" in response.get_data(as_text=True), re.search(
        r"<main.*?</div>", response.get_data(as_text=True), re.S
    ).group(0)
    with app.app_context():
        a_barcode[0] = db.session.scalars(select(Barcode.code).limit(1)).one()

    hx = {"HX-Request": "true"}
    floor_call = lambda: client.get("/_bench/floor")  # noqa: E731
    rows = interleaved(
        {
            "GET / (state B)": lambda: client.get("/"),
            "GET /people (HTMX)": lambda: client.get("/people?register=CAISSE02", headers=hx),
            "GET /status (HTMX)": lambda: client.get("/status", headers=hx),
        },
        floor_call,
        args.runs,
    )
    client.post("/open", data={"person": "RESP01", "password": "1234", "amount": "100"})
    rows += interleaved({"GET /caisse (state C)": lambda: client.get("/caisse")}, floor_call, args.runs)

    # A person's first right code in a process pays the scrypt hash; the same code again is
    # compared with the process's memory of it (app/services/passwords.py). Both are shown.
    # Actions post the screen token as the real forms do (the service checks it is fresh).
    def token(url):
        return re.search(
            r'name="screen_token" value="([^"]*)"', client.get(url).get_data(as_text=True)
        ).group(1)

    seen = [token("/caisse")]

    def connect():
        response = client.post(
            "/caisse/connect",
            headers=hx,
            data={"person": "VEND02", "password": "2222", "screen_token": seen[0]},
        )
        assert response.headers.get("HX-Redirect", "").endswith("/vente"), response.get_data(as_text=True)[
            :300
        ]

    rows += interleaved(
        {
            "POST /caisse/connect (HTMX)": connect,
            "POST /vente/disconnect (HTMX)": lambda: client.post("/vente/disconnect", headers=hx),
        },
        floor_call,
        args.runs,
    )

    def close_day():
        with app.app_context():
            close_counted(db.session)
            # As if exported: a box keeps one day awaiting export, not hundreds.
            db.session.execute(text("UPDATE register_day SET exported_at = closed_at WHERE state = 'closed'"))
            db.session.commit()
            db.session.remove()
        seen_b[0] = token("/")

    seen_b = [None]

    def open_():
        response = client.post(
            "/open",
            headers=hx,
            data={"person": "RESP01", "password": "1234", "amount": "100", "screen_token": seen_b[0]},
        )
        assert response.headers.get("HX-Redirect", "").endswith("/caisse"), response.get_data(as_text=True)[
            :300
        ]

    rows += interleaved({"POST /open (HTMX)": open_}, floor_call, args.runs, prepare=close_day)

    rows += interleaved(
        {
            "POST /lang (switch to English and back)": lambda: (
                client.post("/lang", data={"lang": "en", "next": "/caisse"}),
                client.post("/lang", data={"lang": "fr", "next": "/caisse"}),
            )[-1]
        },
        floor_call,
        args.runs,
    )

    few = max(10, args.runs // 10)
    seen[0] = token("/caisse")
    first = []
    for _ in range(few):
        forget_codes()
        start = time.perf_counter()
        connect()
        first.append((time.perf_counter() - start) * 1000)
        client.post("/vente/disconnect", headers=hx)
    first.sort()
    rows.append(("POST /caisse/connect, first code since start", (statistics.median(first), first[-1])))
    rows += sync_window(app, client, floor_call, token, close_day, max(30, args.runs // 4))
    hashed = generate_password_hash("1234")
    rows.append(("one scrypt password check alone", timed(lambda: check_password_hash(hashed, "1234"), few)))
    rows.append(
        (
            "one durable commit alone (WAL, synchronous=FULL)",
            timed(durable_commit(folder / "box.sqlite"), few),
        )
    )

    print(f"{'what':58} {'median ms':>10} {'p99 ms':>9} {'p99/floor':>10}")
    floor_p99 = None
    for name, (median, p99) in rows:
        if name.startswith("floor"):
            floor_p99 = p99
        print(f"{name:58} {median:10.2f} {p99:9.2f} {p99 / floor_p99:10.1f}")
    shutil.rmtree(folder, ignore_errors=True)


if __name__ == "__main__":
    main()
