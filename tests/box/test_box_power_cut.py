"""Power cuts while selling: a process sells ticket after ticket and is SIGKILLed at random
moments, again and again. After every kill the database passes `PRAGMA integrity_check`,
every ticket the process announced as finished (after its commit) is there, and the ticket
numbers have no gap.

SIGKILL stops the process between any two instructions, including in the middle of a
commit; the kernel's page cache survives it, so this proves SQLite's WAL recovery and the
app's one-transaction-per-sale, while synchronous=FULL (checked in test_database.py) is
what carries the same guarantee through a real loss of power.

COMPTOIR_POWER_CUTS sets the number of kills (default 100)."""

import os
import random
import signal
import sqlite3
import subprocess
import time
from pathlib import Path

from app.extensions import db
from tests.support import ticket_writer
from tests.support.sqlite_file import integrity

CUTS = int(os.environ.get("COMPTOIR_POWER_CUTS", "100"))


def finished(db_path) -> dict[str, int]:
    connection = sqlite3.connect(db_path)
    try:
        return dict(connection.execute("SELECT uuid, number FROM ticket WHERE status = 'finished'"))
    finally:
        connection.close()


class Writers:
    """The fork server of ticket_writer.py, driven line by line."""

    def __init__(self, db_path, log_path):
        self.log = open(log_path, "w")
        self.process = subprocess.Popen(
            [*ticket_writer.COMMAND, str(db_path), "--fork-server"],
            cwd=ticket_writer.ROOT,
            stdin=subprocess.PIPE,
            stdout=subprocess.PIPE,
            stderr=self.log,
            text=True,
            bufsize=1,
        )

    def read(self) -> list[str]:
        line = self.process.stdout.readline().split()
        if not line or line[0] == "DIED":
            self.log.flush()
            raise AssertionError("the ticket writer failed:\n" + Path(self.log.name).read_text())
        return line

    def start(self) -> int:
        self.process.stdin.write("go\n")
        self.process.stdin.flush()
        kind, pid = self.read()
        assert kind == "PID"
        return int(pid)

    def reap(self) -> list[list[str]]:
        """What the killed writer printed before it died."""
        self.process.stdin.write("reap\n")
        self.process.stdin.flush()
        lines = []
        while (line := self.read())[0] != "REAPED":
            lines.append(line)
        return lines

    def close(self):
        self.process.stdin.close()
        self.process.wait(timeout=30)
        self.process.stdout.close()
        self.log.close()


def test_tickets_survive_a_hundred_kills(app, selling, db_path, tmp_path, capsys):
    with app.app_context():
        db.engine.dispose()
    rng = random.Random(int(os.environ.get("COMPTOIR_POWER_CUT_SEED", "8")))
    writers = Writers(db_path, tmp_path / "writer.log")
    announced: dict[str, int] = {}
    started = time.monotonic()
    try:
        for cut in range(CUTS):
            pid = writers.start()
            lines = []
            # Kill while it opens the app, or after 0 to 6 sales: the kill lands wherever
            # the writer is at that instant, often inside the next commit.
            wait_for = rng.choice([-1, 0, 0, 1, 2, 3, 4, 6])
            if wait_for >= 0:
                assert writers.read()[0] == "READY"
                while len(lines) < wait_for:
                    lines.append(writers.read())
            os.kill(pid, signal.SIGKILL)
            lines += writers.reap()
            for line in lines:
                if line[0] == "FINISHED":
                    announced[line[1]] = int(line[2])

            assert integrity(db_path) == "ok", f"after cut {cut + 1}"
            present = finished(db_path)
            missing = set(announced) - set(present)
            assert not missing, f"after cut {cut + 1}: {len(missing)} finished ticket(s) lost"
            assert {uuid: present[uuid] for uuid in announced} == announced
            assert sorted(present.values()) == list(range(1, len(present) + 1)), "gap"
    finally:
        writers.close()
    elapsed = time.monotonic() - started
    in_database = len(finished(db_path))
    with capsys.disabled():
        print(
            f"\npower cuts: {CUTS} SIGKILLs in {elapsed:.1f} s; {len(announced)} tickets "
            f"announced finished, all present; {in_database} in the database "
            f"({in_database - len(announced)} committed just before a kill, unannounced); "
            f"integrity_check ok and numbers without gap after every kill"
        )
    assert len(announced) > CUTS  # the test really sold between the kills
