"""A throwaway PostgreSQL server for the head-office tests: its own data folder, a Unix
socket only (no TCP port), trust authentication, gone with the test session.

Head office runs on PostgreSQL for a network of shops (docs/headoffice.md). `make test`
installs Debian's postgresql when its programs are missing; a run without them skips the
PostgreSQL half of the head-office tests and says why."""

import glob
import importlib
import os
import pwd
import shutil
import subprocess
import uuid
from pathlib import Path

from tests.support.processes import wait_until


def _program(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    candidates = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"))
    return candidates[-1] if candidates else None


def missing() -> str | None:
    """Why no server can be started here, or None."""
    for name in ("initdb", "postgres", "pg_isready"):
        if _program(name) is None:
            return f"PostgreSQL's {name} is not installed (Debian: apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            pwd.getpwnam("postgres")
        except KeyError:
            return "there is no postgres user to run the server as (Debian's postgresql creates it)"
    try:
        importlib.import_module("psycopg")  # imported only to know it is there
    except ImportError:
        return "the psycopg driver is not installed (requirements-test.txt)"
    return None


def _as_server_user() -> list[str]:
    # PostgreSQL refuses to run as root; CI and the sandbox run tests as root.
    return ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []


class PostgresServer:
    def __init__(self, folder: Path):
        self.folder = folder
        self.data = folder / "data"
        self.process = None

    def start(self) -> "PostgresServer":
        self.folder.mkdir(parents=True, exist_ok=True)
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        subprocess.run(
            _as_server_user()
            + [
                _program("initdb"),
                "-D",
                str(self.data),
                "--auth=trust",
                "-U",
                "postgres",
                "-E",
                "UTF8",
                "--locale=C.UTF-8",
            ],
            check=True,
            capture_output=True,
        )
        self.log = open(self.folder / "server.log", "wb")
        self.process = subprocess.Popen(
            _as_server_user()
            + [
                _program("postgres"),
                "-D",
                str(self.data),
                "-k",
                str(self.folder),
                "-c",
                "listen_addresses=",
                "-c",
                "fsync=off",
            ],
            stdout=self.log,
            stderr=subprocess.STDOUT,
        )
        wait_until(
            lambda: (
                self.process.poll() is not None
                or subprocess.run([_program("pg_isready"), "-q", "-h", str(self.folder)]).returncode == 0
            ),
            what="PostgreSQL to accept connections",
            timeout=30,
        )
        if self.process.poll() is not None:
            raise RuntimeError((self.folder / "server.log").read_text())
        return self

    def url(self, database: str = "postgres") -> str:
        return f"postgresql+psycopg://postgres@/{database}?host={self.folder}"

    def create_database(self, template: str | None = None) -> str:
        import psycopg

        name = "t_" + uuid.uuid4().hex[:12]
        with psycopg.connect(host=str(self.folder), user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        return name

    def drop_database(self, name: str) -> None:
        import psycopg

        with psycopg.connect(host=str(self.folder), user="postgres", dbname="postgres", autocommit=True) as c:
            c.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.terminate()
            self.process.wait(timeout=30)
        self.log.close()
