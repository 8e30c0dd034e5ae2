"""Archives of a closed period (docs/integrity.md, « Archives »; docs/controle-fiscal.md): the
ZIP `flask --app wsgi integrity archive` writes passes the stand-alone verifier, run as an
inspector runs it (`python3 nf525.py archive.zip`, in a clean environment with nothing of
Comptoir beside it), and every change made to it afterwards is named."""

import csv
import io
import json
import os
import shutil
import subprocess
import sys
import zipfile
from datetime import timedelta
from pathlib import Path

import pytest

import nf525
from app.extensions import db
from app.integrity.keys import box_key
from tests.support.helpers import journal
from tests.support.past import another_day, past_day

ROOT = Path(__file__).resolve().parents[2]


def inspector(archive, tmp_path, *extra):
    """nf525.py copied alone into an empty folder and run by the interpreter in isolated mode
    (no PYTHONPATH, no user site, no current folder on the path) with a bare environment."""
    folder = tmp_path / "inspector"
    folder.mkdir(exist_ok=True)
    shutil.copy(ROOT / "nf525.py", folder / "nf525.py")
    done = subprocess.run(
        [sys.executable, "-I", "nf525.py", *extra, str(archive)],
        cwd=folder,
        env={"PATH": os.environ.get("PATH", "/usr/bin:/bin")},
        capture_output=True,
        text=True,
        timeout=120,
    )
    return done.returncode, done.stdout + done.stderr


def make_archive(app, first, last, out):
    result = app.test_cli_runner().invoke(
        args=[
            "integrity",
            "archive",
            "--from",
            first.isoformat(),
            "--to",
            last.isoformat(),
            "--out",
            str(out),
        ]
    )
    return result


@pytest.fixture
def shop_with_past(app, client, till):
    """Three sales 40 days ago (one paid in two ways), that day closed; one sale today."""
    day, tickets, kiosk = past_day(
        app,
        client,
        till,
        40,
        [["Baguette tradition"], ["Croissant", "Croissant"], ["Baguette tradition", "Croissant"]],
    )
    _, today = another_day(app, kiosk, till, [["Croissant"]], closed=False)
    return day, tickets, today


@pytest.fixture
def archive(app, shop_with_past, tmp_path):
    day, _tickets, _today = shop_with_past
    result = make_archive(app, day - timedelta(days=1), day + timedelta(days=1), tmp_path / "out")
    assert result.exit_code == 0, result.output
    [path] = (tmp_path / "out").glob("*.zip")
    return path


def test_the_archive_of_a_closed_period_passes_the_inspectors_check(app, shop_with_past, archive, tmp_path):
    day, tickets, today = shop_with_past
    code, output = inspector(archive, tmp_path)
    assert code == 0, output
    assert "OK" in output
    with zipfile.ZipFile(archive) as zipped:
        manifest = json.loads(zipped.read("manifest.json"))
        records = list(csv.DictReader(io.TextIOWrapper(zipped.open("signed_records.csv"), encoding="utf-8")))
        readable = list(csv.DictReader(io.TextIOWrapper(zipped.open("tickets.csv"), encoding="utf-8")))
        names = set(zipped.namelist())
    # The period holds the three old sales, not today's: the chain went on to n°4.
    assert [r["number"] for r in records if r["chain"] == "ticket"] == ["1", "2", "3"]
    assert manifest["heads"]["ticket"]["number"] == 3 and "ticket" not in manifest["starts"]
    assert [t["uuid"] for t in readable] == [t.uuid for t in tickets]
    assert set(records[0]) >= {
        "register_code",
        "chain",
        "number",
        "kind",
        "subject_uuid",
        "at",
        "key_id",
        "payload",
        "signature",
        "previous",
    }
    assert {
        "public_key.pem",
        "manifest.json",
        "manifest.sig",
        "days.csv",
        "ticket_lines.csv",
        "payments.csv",
        "ticket_taxes.csv",
        "closing_lines.csv",
        "cash_movements.csv",
    } <= names
    with app.app_context():
        assert manifest["key_id"] == box_key().key_id
        [entry] = db.session.execute(
            db.text("SELECT outcome, details FROM journal_entry WHERE action = 'archive'")
        ).all()
        db.session.remove()
    assert entry.outcome == "ok" and archive.name in entry.details


def _rewrite(source: Path, target: Path, name: str, change) -> Path:
    """A copy of the archive with one member changed after the fact."""
    with zipfile.ZipFile(source) as old, zipfile.ZipFile(target, "w") as new:
        for member in old.namelist():
            data = old.read(member)
            if member == name:
                data = change(data)
            if data is not None:
                new.writestr(member, data)
    return target


def _csv_change(change):
    def apply(data: bytes) -> bytes:
        rows = list(csv.DictReader(io.StringIO(data.decode("utf-8"), newline="")))
        rows = change(rows)
        out = io.StringIO(newline="")
        writer = csv.DictWriter(out, fieldnames=list(rows[0]), lineterminator="\r\n")
        writer.writeheader()
        writer.writerows(rows)
        return out.getvalue().encode("utf-8")

    return apply


def _edit_row(number, column, value):
    def change(rows):
        for row in rows:
            if row.get("number") == str(number):
                row[column] = value(row[column])
        return rows

    return change


def _without(chain, number):
    return lambda rows: [r for r in rows if not (r["chain"] == chain and r["number"] == str(number))]


TAMPERINGS = {
    "ticket total edited in tickets.csv": (
        "tickets.csv",
        _csv_change(_edit_row(2, "total_cents", lambda v: str(int(v) - 100))),
        [
            "tickets.csv: its SHA-256 differs",
            "ticket n°2: altered — the document was changed after it was signed: total_cents",
        ],
    ),
    "amount edited in a signed payload": (
        "signed_records.csv",
        _csv_change(_edit_row(2, "payload", lambda v: v.replace('"total_cents":', '"total_cents":1'))),
        ["signed_records.csv: its SHA-256 differs", "ticket n°2: altered — the signature does not match"],
    ),
    "a record removed in the middle": (
        "signed_records.csv",
        _csv_change(_without("ticket", 2)),
        [
            "signed_records.csv: its SHA-256 differs",
            "ticket n°2: missing",
            "tickets.csv: ticket 2 (",
            ") has no signed record in the archive",
        ],
    ),
    "the last record removed": (
        "signed_records.csv",
        _csv_change(_without("ticket", 3)),
        ["ticket n°3: missing — the chain stops at n°2, n°3 was signed"],
    ),
    "manifest edited": (
        "manifest.json",
        lambda data: data.replace(b'"number": 3', b'"number": 2'),
        ["manifest.json: its signature (manifest.sig) does not match"],
    ),
    "a file dropped": (
        "payments.csv",
        lambda data: None,
        ["payments.csv: listed in the manifest but missing"],
    ),
}


@pytest.mark.parametrize("tampering", TAMPERINGS, ids=list(TAMPERINGS))
def test_an_archive_changed_afterwards_is_named(archive, tmp_path, tampering):
    name, change, expected = TAMPERINGS[tampering]
    changed = _rewrite(archive, tmp_path / "changed.zip", name, change)
    code, output = inspector(changed, tmp_path)
    assert code == 1, output
    for finding in expected:
        assert finding in output, (finding, output)
    assert "OK" not in output


def test_an_archive_re_signed_with_another_key_fails_against_the_registers_key(app, archive, tmp_path):
    """Whoever rewrites the whole archive with a key of their own makes it consistent with
    itself; the inspector who brings the register's public key (from head office) sees it."""
    other = nf525.new_private_key()

    def forge(data):
        manifest = json.loads(data)
        manifest["key_id"] = nf525.key_id(other)
        return json.dumps(manifest, indent=2, sort_keys=True).encode()

    forged = _rewrite(archive, tmp_path / "step.zip", "manifest.json", forge)
    with zipfile.ZipFile(forged) as zipped:
        manifest = zipped.read("manifest.json")
    forged = _rewrite(
        forged, tmp_path / "step2.zip", "public_key.pem", lambda _d: nf525.public_pem(other).encode()
    )
    forged = _rewrite(
        forged, tmp_path / "forged.zip", "manifest.sig", lambda _d: nf525.sign(other, manifest).encode()
    )
    with app.app_context():
        (tmp_path / "register.pem").write_text(box_key().public_pem)
    code, output = inspector(forged, tmp_path, "--key", str(tmp_path / "register.pem"))
    assert code == 1, output
    assert "public_key.pem: not the register's key you were given" in output
    assert "ticket n°1: wrong_key" in output


def _archive_rows(app):
    with app.app_context():
        try:
            return db.session.execute(db.text("SELECT COUNT(*) FROM archive")).scalar()
        finally:
            db.session.remove()


def test_an_open_or_unfinished_or_too_long_period_is_refused(app, client, till, tmp_path):
    day, _tickets, kiosk = past_day(app, client, till, 10, [["Croissant"]])
    another_day(app, kiosk, till, [["Croissant"]], days=5, closed=False)  # still open five days later
    five_days_ago = day + timedelta(days=5)
    cases = [
        (day, five_days_ago, "la journée n°2"),
        (day, day + timedelta(days=30), "elle doit finir avant aujourd'hui"),
        (day - timedelta(days=400), day, "au plus 12 mois"),
        (day, day - timedelta(days=1), "à l'envers"),
    ]
    for first, last, message in cases:
        result = make_archive(app, first, last, tmp_path / "out")
        assert result.exit_code == 1 and message in result.output, (first, last, result.output)
    assert not (tmp_path / "out").exists() or not list((tmp_path / "out").iterdir())
    assert _archive_rows(app) == 0
    with app.app_context():
        refusals = journal("archive", "refused")
        db.session.remove()
    assert len(refusals) == len(cases)


def test_a_broken_chain_is_not_archived_and_is_journaled(app, shop_with_past, tmp_path):
    from tests.support.auditor import edit_database as _edit

    day, tickets, _today = shop_with_past
    _edit(app, "UPDATE payment SET amount_cents = 1 WHERE ticket_id = ?", tickets[1].id)
    result = make_archive(app, day, day, tmp_path / "out")
    assert result.exit_code == 1 and "ticket n°2: altered" in result.output, result.output
    assert _archive_rows(app) == 0
    with app.app_context():
        [failure] = journal("integrity_failure", "failed")
        db.session.remove()
    assert "ticket n°2" in failure.reason
