"""End to end with real processes on loopback: head office under gunicorn, the register box
(migrated, served by gunicorn, driven by its CLI and scheduler), and a crash in the middle
of an export."""
import http.server
import signal
import sqlite3
import threading

import httpx
import pytest
from processes import BIN, Box, free_port, http_ok, start_headoffice, stop, wait_until

from app import create_app
from app.extensions import db
from app.box.backup import release_database_use
from app.services.lifecycle import open_register

from helpers import DEMO_BOX_TOKEN, DEMO_HEADOFFICE_TOKEN, close_counted

pytestmark = pytest.mark.slow


@pytest.fixture
def headoffice_url(tmp_path):
    port = free_port()
    process = start_headoffice(tmp_path, port)
    url = f"http://127.0.0.1:{port}"
    wait_until(lambda: process.poll() is not None or _answers(url), what="head office to listen")
    assert process.poll() is None, (tmp_path / "headoffice.log").read_text()
    yield url
    stop(process)


def _answers(url) -> bool:
    try:
        httpx.get(f"{url}/api/v1/registers", timeout=1.0)
        return True
    except httpx.HTTPError:
        return False


def received_batches(headoffice_url) -> list[dict]:
    auth = {"Authorization": f"Bearer {DEMO_HEADOFFICE_TOKEN}"}
    listing = httpx.get(f"{headoffice_url}/api/v1/exports", headers=auth).json()["exports"]
    return [httpx.get(f"{headoffice_url}/api/v1/exports/{e['batch_id']}", headers=auth).json()
            for e in listing]


def close_a_day_through_the_services(box: Box, float_cents: int) -> str:
    app = create_app({"SQLALCHEMY_DATABASE_URI": f"sqlite:///{box.db_path}", "SECRET_KEY": "x",
                      "COMPTOIR_DEVICE_NAME": "FF Gui"})
    with app.app_context():
        open_register(db.session, "RESP01", "1234", float_cents)
        day = close_counted(db.session)
        uuid = day.uuid
        db.session.remove()
        release_database_use(db.engine)  # this test process lets the box's file go, as a CLI would on exit
    return uuid


def box_state(box: Box) -> str:
    return box.flask("sync", "status").stdout


def test_import_close_export_between_real_processes(tmp_path, headoffice_url):
    box = Box(tmp_path, headoffice_url, DEMO_BOX_TOKEN)
    box.flask("db", "upgrade")
    port = free_port()
    web = box.spawn("web", [_bin("gunicorn"), "--no-control-socket", "-w", "2",
                            "-b", f"127.0.0.1:{port}", "wsgi:app"])
    try:
        wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), what="register healthz")
        box.flask("sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111")
        assert "État : B" in box_state(box)
        day_uuid = close_a_day_through_the_services(box, 15000)
        assert "État : D" in box_state(box)
        result = box.flask("sync", "export", "--person", "RESP01", "--password", "1234")
        assert "1 journée(s)" in result.stdout
        assert "État : A" in box_state(box)
        [batch] = received_batches(headoffice_url)
        assert [d["uuid"] for d in batch["batch"]["days"]] == [day_uuid]
        assert batch["batch"]["days"][0]["opening_float_cents"] == 15000
        # The web process still answers and sees the new state.
        assert httpx.get(f"http://127.0.0.1:{port}/healthz").json()["status"] == "ok"
    finally:
        assert stop(web) == 0, box.log("web")


def _bin(name):
    return str(BIN / name)


class HoldingProxy(http.server.ThreadingHTTPServer):
    """Sits between the box and head office and holds the export PUT: either before
    forwarding it (head office never saw it) or after (head office stored it, the answer
    never reaches the box). The test kills the box while the PUT is held."""

    daemon_threads = True

    def __init__(self, upstream, hold, method="PUT", path_part=""):
        self.upstream, self.hold = upstream, hold
        self.method, self.path_part = method, path_part
        self.held = threading.Event()
        self.release = threading.Event()
        super().__init__(("127.0.0.1", 0), _ProxyHandler)

    @property
    def url(self):
        return f"http://127.0.0.1:{self.server_address[1]}"


class _ProxyHandler(http.server.BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def _forward(self):
        server = self.server
        body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
        holding = (self.command == server.method and server.path_part in self.path
                   and not server.release.is_set())
        if holding and server.hold == "before":
            server.held.set()
            server.release.wait(30)
            return  # the box is dead by now: nothing to forward
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        upstream = httpx.request(self.command, server.upstream + self.path, headers=headers,
                                 content=body, timeout=10)
        if holding:
            server.held.set()
            server.release.wait(30)
            return
        try:
            self.send_response(upstream.status_code)
            for key, value in upstream.headers.items():
                if key.lower() not in ("content-encoding", "transfer-encoding", "content-length",
                                       "connection"):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_PUT = _forward


@pytest.mark.parametrize("hold", ["before", "after"])
def test_export_killed_mid_flight_then_retried_by_scheduler_gives_one_batch(
        tmp_path, headoffice_url, hold):
    proxy = HoldingProxy(headoffice_url, hold)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    box = Box(tmp_path, proxy.url, DEMO_BOX_TOKEN, SCHEDULER_TICK_SECONDS=1)
    try:
        box.flask("db", "upgrade")
        box.flask("sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111")
        day_uuid = close_a_day_through_the_services(box, 2000)

        exporter = box.spawn_flask("export", "sync", "export", "--person", "RESP01",
                                   "--password", "1234")
        assert proxy.held.wait(30), box.log("export")
        exporter.send_signal(signal.SIGKILL)  # power cut in the middle of the export
        assert exporter.wait(10) == -signal.SIGKILL
        proxy.release.set()
        expected_before_retry = 1 if hold == "after" else 0
        assert len(received_batches(headoffice_url)) == expected_before_retry

        # The box restarts: the batch is still pending, the scheduler sends it again.
        assert "Lot en attente" in box_state(box)
        scheduler = box.spawn_flask("scheduler", "scheduler")
        try:
            wait_until(lambda: "État : A" in box_state(box), what="scheduler retry")
        finally:
            assert stop(scheduler) == 0, box.log("scheduler")
        batches = received_batches(headoffice_url)
        assert len(batches) == 1
        assert [d["uuid"] for d in batches[0]["batch"]["days"]] == [day_uuid]
        connection = sqlite3.connect(box.db_path)
        assert connection.execute("PRAGMA integrity_check").fetchone() == ("ok",)
        connection.close()
    finally:
        proxy.release.set()
        proxy.shutdown()
        proxy.server_close()
