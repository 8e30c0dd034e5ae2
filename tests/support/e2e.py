"""Real processes on loopback: head office under gunicorn on a free port (the `headoffice_url`
fixture), what head office received, a day closed through the services of a box, and a
proxy that holds a request while the test kills the box."""

import http.server
import threading

import httpx
import pytest

from app.box.backup import release_database_use
from app.extensions import db
from app.services.lifecycle import open_register
from tests.support.helpers import DEMO_HEADOFFICE_TOKEN, close_counted
from tests.support.processes import Box, free_port, start_headoffice, stop, wait_until


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
    return [
        httpx.get(f"{headoffice_url}/api/v1/exports/{e['batch_id']}", headers=auth).json() for e in listing
    ]


def close_a_day_through_the_services(box: Box, float_cents: int) -> str:
    app = box.app(COMPTOIR_DEVICE_NAME="FF Gui")
    with app.app_context():
        open_register(db.session, "RESP01", "1234", float_cents)
        day = close_counted(db.session)
        uuid = day.uuid
        db.session.remove()
        release_database_use(db.engine)  # this test process lets the box's file go, as a CLI would on exit
    return uuid


def box_state(box: Box) -> str:
    return box.flask("sync", "status").stdout


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
        holding = (
            self.command == server.method and server.path_part in self.path and not server.release.is_set()
        )
        if holding and server.hold == "before":
            server.held.set()
            server.release.wait(30)
            return  # the box is dead by now: nothing to forward
        headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host",)}
        upstream = httpx.request(
            self.command, server.upstream + self.path, headers=headers, content=body, timeout=10
        )
        if holding:
            server.held.set()
            server.release.wait(30)
            return
        try:
            self.send_response(upstream.status_code)
            for key, value in upstream.headers.items():
                if key.lower() not in (
                    "content-encoding",
                    "transfer-encoding",
                    "content-length",
                    "connection",
                ):
                    self.send_header(key, value)
            self.send_header("Content-Length", str(len(upstream.content)))
            self.end_headers()
            self.wfile.write(upstream.content)
        except (BrokenPipeError, ConnectionResetError):
            pass

    do_GET = do_PUT = _forward
