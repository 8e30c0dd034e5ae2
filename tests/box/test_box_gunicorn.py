"""gunicorn as the web unit runs it: the address follows config.py, it tells systemd it is
ready (Type=notify), and the kiosk's wait-healthz.sh waits for any answer."""

import http.server
import os
import runpy
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from tests.support.processes import BIN, free_port, http_ok, stop, wait_until

ROOT = Path(__file__).resolve().parents[2]
CONF = ROOT / "kiosk" / "gunicorn.conf.py"
WAIT = ROOT / "kiosk" / "wait-healthz.sh"


def settings_for(tmp_path, monkeypatch, config_text, side=None):
    (tmp_path / "config.py").write_text(config_text)
    monkeypatch.setenv("COMPTOIR_INSTANCE", str(tmp_path))
    if side:
        monkeypatch.setenv("COMPTOIR_WEB_SIDE", side)
    return runpy.run_path(str(CONF))


def test_loopback_only_by_default(tmp_path, monkeypatch):
    assert settings_for(tmp_path, monkeypatch, "")["bind"] == ["127.0.0.1:8000"]


def test_the_kiosk_side_stays_plain_http_on_loopback_with_tablets_on(tmp_path, monkeypatch):
    conf = settings_for(tmp_path, monkeypatch, "COMPTOIR_LISTEN_LAN = True\n")
    assert conf["bind"] == ["127.0.0.1:8000"]
    assert "certfile" not in conf and "keyfile" not in conf
    assert conf["control_socket_disable"] is True and conf["workers"] == 2


def test_the_tablets_side_is_https_on_every_interface(tmp_path, monkeypatch):
    (tmp_path / "tls").mkdir()
    for name in ("comptoir.crt", "comptoir.key"):
        (tmp_path / "tls" / name).write_text("")
    conf = settings_for(tmp_path, monkeypatch, "COMPTOIR_LISTEN_LAN = True\n", side="lan")
    assert conf["bind"] == ["0.0.0.0:8443"]
    assert conf["certfile"] == str(tmp_path / "tls" / "comptoir.crt")
    assert conf["keyfile"] == str(tmp_path / "tls" / "comptoir.key")


@pytest.mark.parametrize(
    "config_text, certificate, message",
    [
        ("COMPTOIR_LISTEN_LAN = False\n", True, "COMPTOIR_LISTEN_LAN is False"),
        ("COMPTOIR_LISTEN_LAN = True\n", False, "comptoir.crt is missing"),
    ],
)
def test_the_tablets_side_refuses_to_start_closed_or_without_certificate(
    tmp_path, monkeypatch, config_text, certificate, message
):
    if certificate:
        (tmp_path / "tls").mkdir()
        for name in ("comptoir.crt", "comptoir.key"):
            (tmp_path / "tls" / name).write_text("")
    with pytest.raises(SystemExit, match=message):
        settings_for(tmp_path, monkeypatch, config_text, side="lan")


@pytest.mark.slow
def test_gunicorn_notifies_systemd_when_ready(tmp_path, db_path):
    """What systemd sees with Type=notify: READY=1 on $NOTIFY_SOCKET from the main PID."""
    instance = tmp_path / "instance"
    instance.mkdir()
    os.replace(db_path, instance / "comptoir.sqlite")
    (instance / "config.py").write_text("SECRET_KEY = 'n'\n")
    notify_path = tmp_path / "notify"
    listener = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
    listener.bind(str(notify_path))
    listener.settimeout(60)
    port = free_port()
    env = {**os.environ, "COMPTOIR_INSTANCE": str(instance), "NOTIFY_SOCKET": str(notify_path)}
    with open(tmp_path / "gunicorn.log", "w") as log:
        web = subprocess.Popen(
            [str(BIN / "gunicorn"), "--config", str(CONF), "--bind", f"127.0.0.1:{port}", "wsgi:app"],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        message = listener.recv(4096).decode()
        assert "READY=1" in message
        wait_until(lambda: http_ok(f"http://127.0.0.1:{port}/healthz"), what="healthz")
    finally:
        listener.close()
        assert stop(web) == 0, (tmp_path / "gunicorn.log").read_text()


class _Answer(http.server.BaseHTTPRequestHandler):
    status = 503

    def do_GET(self):
        self.send_response(self.status)
        self.end_headers()

    def log_message(self, *args):
        pass


@pytest.fixture
def answering():
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), _Answer)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    yield f"http://127.0.0.1:{server.server_address[1]}/healthz"
    server.shutdown()
    server.server_close()


def run_wait(*args):
    return subprocess.run(["sh", str(WAIT), *args], capture_output=True, text=True, timeout=30)


def test_kiosk_starts_on_any_answer_even_503(answering):
    assert run_wait(answering, "5").returncode == 0


def test_provisioning_wants_200(answering):
    result = run_wait("--ok", answering, "1")
    assert result.returncode == 1 and "last: 503" in result.stderr


def test_nobody_listening_times_out():
    result = run_wait(f"http://127.0.0.1:{free_port()}/healthz", "1")
    assert result.returncode == 1 and "no answer" in result.stderr
