"""The web service as systemd runs it (gunicorn, two workers, kiosk/gunicorn.conf.py) on a
database that goes missing, is damaged while it serves, or is restored under it."""

from pathlib import Path

import httpx
import pytest

from tests.support.processes import BIN, Box, free_port, stop, wait_until
from tests.support.sqlite_file import checkpoint, damage

pytestmark = pytest.mark.slow

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "kiosk" / "gunicorn.conf.py"


@pytest.fixture
def box(tmp_path):
    return Box(tmp_path, "http://127.0.0.1:9", "unused", DATABASE_RECHECK_SECONDS=0)


@pytest.fixture
def web(box):
    """Start gunicorn on a free loopback port; stopped at the end of the test."""
    started = []

    def start():
        port = free_port()
        process = box.spawn(
            "gunicorn",
            [str(BIN / "gunicorn"), "--config", str(CONF), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
        )
        started.append(process)
        url = f"http://127.0.0.1:{port}"
        wait_until(lambda: _status(url + "/healthz"), what="gunicorn answering")
        return process, url

    yield start
    for process in started:
        stop(process)


def _status(url):
    try:
        return httpx.get(url, timeout=5).status_code
    except httpx.HTTPError:
        return None


def test_a_missing_database_is_refused_by_every_screen_and_not_created(box, web):
    _process, url = web()
    assert _status(url + "/healthz") == 503
    assert httpx.get(url + "/healthz").json()["integrity"] == "missing"
    for _ in range(4):  # both workers
        page = httpx.get(url + "/")
        assert page.status_code == 503 and "introuvable" in page.text
    assert not box.db_path.exists()


def test_damage_after_start_is_seen_by_every_worker(box, web):
    box.flask("db", "upgrade")
    _process, url = web()
    for _ in range(6):
        assert _status(url + "/") == 200
    checkpoint(box.db_path)
    damage(box.db_path)
    # Each worker sees the file changed and checks it again in the background.
    wait_until(
        lambda: all(_status(url + "/healthz") == 503 for _ in range(8)),
        what="every worker refusing the damaged file",
    )
    page = httpx.get(url + "/vente")
    assert page.status_code == 503 and "endommagée" in page.text


def test_a_restore_is_refused_while_the_web_shows_the_damaged_page(box, web):
    box.flask("db", "upgrade")
    box.flask("backup", "create")
    [made] = (box.instance / "backups").glob("comptoir-*.sqlite")
    box.db_path.write_bytes(b"not a database" * 1000)
    process, url = web()
    assert _status(url + "/") == 503  # the screen the technician sees
    refused = box.flask("backup", "restore", made.name, "--yes", check=False)
    assert refused.returncode == 1, refused.stdout + refused.stderr
    assert "ouverte par un autre processus" in refused.stderr
    assert box.db_path.read_bytes() == b"not a database" * 1000
    assert stop(process) == 0
    restored = box.flask("backup", "restore", made.name, "--yes", check=False)
    assert restored.returncode == 0, restored.stdout + restored.stderr
    _process, url = web()
    assert _status(url + "/healthz") == 200
