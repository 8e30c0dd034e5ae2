"""Real processes on loopback ports for end-to-end tests: head office, the register under
gunicorn, CLI commands, the scheduler — started the way a box starts them."""

import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def wait_until(condition, timeout=30.0, what="condition"):
    """Wait for something a person would wait for; fail loudly if it never comes."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        value = condition()
        if value:
            return value
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for {what}")


def http_ok(url) -> bool:
    try:
        return httpx.get(url, timeout=1.0).status_code == 200
    except httpx.HTTPError:
        return False


class Box:
    """One register box: an instance folder with its config.py, like a provisioned box."""

    def __init__(self, tmp_path: Path, headoffice_url: str, token: str, **settings):
        self.instance = tmp_path / "box-instance"
        self.instance.mkdir()
        config = {
            "SECRET_KEY": "e2e",
            "HEADOFFICE_URL": headoffice_url,
            "HEADOFFICE_TOKEN": token,
            "HEADOFFICE_TIMEOUT_SECONDS": 5.0,
            "COMPTOIR_TERMINAL": "WEB01",
            "COMPTOIR_DEVICE_NAME": "FF Gui",
            **settings,
        }
        (self.instance / "config.py").write_text("".join(f"{k} = {v!r}\n" for k, v in config.items()))
        self.env = {**os.environ, "COMPTOIR_INSTANCE": str(self.instance), "PYTHONPATH": str(ROOT)}
        self.db_path = self.instance / "comptoir.sqlite"
        self.logs = tmp_path

    def flask(self, *args, check=True, timeout=60) -> subprocess.CompletedProcess:
        result = subprocess.run(
            [str(BIN / "flask"), "--app", "wsgi", *args],
            cwd=ROOT,
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )
        if check and result.returncode != 0:
            raise AssertionError(f"flask {' '.join(args)} failed:\n{result.stdout}{result.stderr}")
        return result

    def spawn(self, name, args) -> subprocess.Popen:
        with open(self.logs / f"{name}.log", "w") as log:  # the child keeps its own copy
            return subprocess.Popen(
                args, cwd=ROOT, env=self.env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
            )

    def spawn_flask(self, name, *args) -> subprocess.Popen:
        return self.spawn(name, [str(BIN / "flask"), "--app", "wsgi", *args])

    def log(self, name) -> str:
        return (self.logs / f"{name}.log").read_text()

    def app(self, **config):
        """This box's web app in the test's own process: its database AND its instance folder
        (the signing key is there: one box signs with one key, whichever process writes)."""
        from app import create_app

        before = os.environ.get("COMPTOIR_INSTANCE")
        os.environ["COMPTOIR_INSTANCE"] = str(self.instance)
        try:
            return create_app(
                {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{self.db_path}", "SECRET_KEY": "x", **config}
            )
        finally:
            if before is None:
                os.environ.pop("COMPTOIR_INSTANCE")
            else:
                os.environ["COMPTOIR_INSTANCE"] = before


def start_headoffice(tmp_path: Path, port: int) -> subprocess.Popen:
    env = {
        **os.environ,
        "HEADOFFICE_DATABASE_URL": f"sqlite:///{tmp_path / 'ho.sqlite'}",
        "PYTHONPATH": str(ROOT),
    }
    for args in (["init-db"], ["load-demo"]):
        subprocess.run(
            [str(BIN / "flask"), "--app", "headoffice", *args],
            cwd=ROOT,
            env=env,
            check=True,
            capture_output=True,
            timeout=120,
        )
    with open(tmp_path / "headoffice.log", "w") as log:
        return subprocess.Popen(
            [
                str(BIN / "gunicorn"),
                "--no-control-socket",
                "-w",
                "2",
                "-b",
                f"127.0.0.1:{port}",
                "headoffice.wsgi:app",
            ],
            cwd=ROOT,
            env=env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def stop(process: subprocess.Popen, sig=signal.SIGTERM, timeout=15) -> int:
    if process.poll() is None:
        os.killpg(process.pid, sig)
    return process.wait(timeout=timeout)
