"""End to end with real processes on loopback: head office under gunicorn, the register box
(migrated, served by gunicorn, driven by its CLI and scheduler), and a crash in the middle
of an export."""

import signal
import sqlite3
import threading

import httpx
import pytest

from tests.support.e2e import HoldingProxy, box_state, close_a_day_through_the_services, received_batches
from tests.support.helpers import DEMO_BOX_TOKEN
from tests.support.processes import BIN, Box, free_port, http_ok, stop, wait_until

pytestmark = pytest.mark.slow


def test_import_close_export_between_real_processes(tmp_path, headoffice_url):
    box = Box(tmp_path, headoffice_url, DEMO_BOX_TOKEN)
    box.flask("db", "upgrade")
    port = free_port()
    web = box.spawn(
        "web", [_bin("gunicorn"), "--no-control-socket", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"]
    )
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


@pytest.mark.parametrize("hold", ["before", "after"])
def test_export_killed_mid_flight_then_retried_by_scheduler_gives_one_batch(tmp_path, headoffice_url, hold):
    proxy = HoldingProxy(headoffice_url, hold)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    box = Box(tmp_path, proxy.url, DEMO_BOX_TOKEN, SCHEDULER_TICK_SECONDS=1)
    try:
        box.flask("db", "upgrade")
        box.flask("sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111")
        day_uuid = close_a_day_through_the_services(box, 2000)

        exporter = box.spawn_flask("export", "sync", "export", "--person", "RESP01", "--password", "1234")
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
