"""A killed import or export blocks nobody: a real `flask sync …` process
is killed with SIGKILL while head office holds its request; its run row still says
"running", yet the progress window says it stopped and the next Importer / Exporter runs at
once — not ten minutes later."""

import signal
import sqlite3
import threading

import pytest

from app.extensions import db
from tests.support.e2e import HoldingProxy, close_a_day_through_the_services
from tests.support.helpers import DEMO_BOX_TOKEN
from tests.support.processes import Box

pytestmark = pytest.mark.slow

COMMANDS = {
    "import": (
        "GET",
        "/snapshot",
        ["sync", "import", "CAISSE01", "--person", "VEND01", "--password", "1111"],
    ),
    "export": ("PUT", "/exports/", ["sync", "export", "--person", "RESP01", "--password", "1234"]),
}


def runs(box: Box) -> list[tuple]:
    connection = sqlite3.connect(box.db_path)
    try:
        return connection.execute("SELECT uuid, kind, status, error FROM sync_run ORDER BY id").fetchall()
    finally:
        connection.close()


@pytest.mark.parametrize("kind", ["import", "export"])
def test_a_run_killed_mid_flight_blocks_nobody(tmp_path, headoffice_url, kind):
    method, path_part, args = COMMANDS[kind]
    proxy = HoldingProxy(headoffice_url, "before", method=method, path_part=path_part)
    threading.Thread(target=proxy.serve_forever, daemon=True).start()
    box = Box(tmp_path, proxy.url, DEMO_BOX_TOKEN)
    try:
        box.flask("db", "upgrade")
        if kind == "export":
            box.flask(*COMMANDS["import"][2])
            close_a_day_through_the_services(box, 2000)

        victim = box.spawn_flask(f"killed-{kind}", *args)
        assert proxy.held.wait(30), box.log(f"killed-{kind}")
        victim.send_signal(signal.SIGKILL)
        assert victim.wait(10) == -signal.SIGKILL
        proxy.release.set()
        [(run_uuid, _, status, _)] = [r for r in runs(box) if r[1] == kind][-1:]
        assert status == "running"  # nobody could write how it ended

        # The progress window, polled from the web app, says what happened.
        app = box.app(TESTING=True)
        page = app.test_client().get(f"/sync/runs/{run_uuid}").get_data(as_text=True)
        assert "Interrompu" in page and "recommencez" in page
        with app.app_context():
            db.engine.dispose()

        # And the next run starts at once and goes through.
        result = box.flask(*args)
        assert "terminé" in result.stdout, result.stdout + result.stderr
        ended = {r[0]: r for r in runs(box)}
        assert ended[run_uuid][2] == "failed" and "Interrompu" in ended[run_uuid][3]
        assert all(r[2] != "running" for r in ended.values())
        connection = sqlite3.connect(box.db_path)
        reasons = [
            r[0]
            for r in connection.execute(
                "SELECT reason FROM journal_entry WHERE action = ? AND outcome = 'failed'", (kind,)
            )
        ]
        connection.close()
        assert any("Interrompu" in (r or "") for r in reasons)
    finally:
        proxy.release.set()
        proxy.shutdown()
        proxy.server_close()
