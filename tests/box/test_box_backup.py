"""Backups: taken while selling, checked, pruned, pushed, and a restore that brings back
the same tickets after the live file is damaged."""

import sqlite3
import subprocess
import sys
from datetime import datetime, timedelta, timezone

import pytest

from app.box import backup as backups
from app.extensions import db
from app.models import SellerSession
from tests.support import ticket_writer
from tests.support.helpers import journal
from tests.support.sqlite_file import damage, finished_tickets, integrity
from tests.support.ticket_writer import sell_one_ticket


def sell(app, seller_uuid, count):
    with app.app_context():
        from sqlalchemy import select

        seller = db.session.scalars(select(SellerSession).where(SellerSession.uuid == seller_uuid)).one()
        for _ in range(count):
            sell_one_ticket(db.session, seller)
        db.session.remove()


@pytest.fixture
def backup_dir(db_path):
    return db_path.parent / "backups"


def test_backup_corrupt_restore_gives_back_the_same_tickets(app, runner, selling, db_path, backup_dir):
    sell(app, selling, 25)
    before = finished_tickets(db_path)
    assert len(before) == 25

    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    assert "Sauvegarde vérifiée" in result.output
    [made] = backups.list_backups(backup_dir)
    assert made.label == "manual" and integrity(made.path) == "ok"
    assert oct(made.path.stat().st_mode & 0o777) == "0o640"
    with sqlite3.connect(made.path) as copy:
        assert copy.execute("PRAGMA journal_mode").fetchone() == ("delete",)

    with app.app_context():
        db.engine.dispose()
    damage(db_path)
    assert integrity(db_path) != "ok"

    result = runner.invoke(args=["backup", "restore", made.name, "--yes"])
    assert result.exit_code == 0, result.output
    assert "Base restaurée" in result.output
    assert integrity(db_path) == "ok"
    assert finished_tickets(db_path) == before
    [replaced] = (backup_dir / "replaced").iterdir()
    assert replaced.name.startswith("comptoir-") and "replaced" in replaced.name
    with app.app_context():
        assert journal("restore", "ok")
        db.session.remove()


def test_restore_refuses_while_a_connection_is_open(app, runner, selling, db_path, backup_dir):
    made = backups.create_backup(db_path, backup_dir)
    with app.app_context():
        db.session.execute(db.text("SELECT 1"))  # a worker holding a connection
        db.session.rollback()
        with pytest.raises(backups.DatabaseInUse, match="systemctl stop comptoir-web"):
            backups.restore_backup(db_path, made.path, backup_dir / "replaced")
        db.engine.dispose()
    result = runner.invoke(args=["backup", "restore", made.name, "--yes"])
    assert result.exit_code == 0, result.output


def test_restore_refuses_while_another_process_sells(app, runner, selling, db_path, backup_dir):
    made = backups.create_backup(db_path, backup_dir)
    with app.app_context():
        db.engine.dispose()
    writer = subprocess.Popen(
        [*ticket_writer.COMMAND, str(db_path)], cwd=ticket_writer.ROOT, stdout=subprocess.PIPE, text=True
    )
    try:
        assert writer.stdout.readline().startswith("READY")
        assert writer.stdout.readline().startswith("FINISHED")
        result = runner.invoke(args=["backup", "restore", made.name, "--yes"])
        assert result.exit_code == 1 and "ouverte par un autre processus" in result.output
    finally:
        writer.kill()
        writer.wait()
        writer.stdout.close()
    result = runner.invoke(args=["backup", "restore", made.name, "--yes"])
    assert result.exit_code == 0, result.output


def test_restore_refuses_a_damaged_backup_and_leaves_the_database(app, selling, db_path, backup_dir):
    made = backups.create_backup(db_path, backup_dir)
    damage(made.path)
    with app.app_context():
        db.engine.dispose()
    before = db_path.read_bytes()
    with pytest.raises(backups.BackupError, match="n'est pas saine"):
        backups.restore_backup(db_path, made.path, backup_dir / "replaced")
    assert db_path.read_bytes() == before


def test_backup_of_a_damaged_database_fails_and_says_so(app, runner, selling, db_path, backup_dir):
    sell(app, selling, 5)
    with app.app_context():
        db.engine.dispose()
    damage(db_path)
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 1
    assert "Refusé" in result.output
    assert backups.list_backups(backup_dir) == []


def test_backup_is_journaled(app, runner, selling):
    assert runner.invoke(args=["backup", "create", "--label", "pre-upgrade"]).exit_code == 0
    with app.app_context():
        [entry] = journal("backup", "ok")
        db.session.remove()


def test_retention_keeps_the_newest_of_each_kind(db_path, backup_dir):
    start = datetime(2025, 3, 1, 1, 30, tzinfo=timezone.utc)
    for day in range(20):
        backups.create_backup(db_path, backup_dir, label="nightly", now=start + timedelta(days=day))
    for n in range(3):
        backups.create_backup(db_path, backup_dir, label="pre-upgrade", now=start + timedelta(hours=n))
    removed = backups.prune_backups(backup_dir, keep_nightly=14, keep_other=2)
    assert len(removed) == 6 + 1
    kept = backups.list_backups(backup_dir)
    nightly = [b.created_at.day for b in kept if b.label == "nightly"]
    assert nightly == list(range(7, 21))
    assert [b.created_at.hour for b in kept if b.label == "pre-upgrade"] == [2, 3]


def test_two_backups_in_the_same_second_get_two_files(db_path, backup_dir):
    now = datetime(2025, 3, 1, 1, 30, tzinfo=timezone.utc)
    first = backups.create_backup(db_path, backup_dir, now=now)
    second = backups.create_backup(db_path, backup_dir, now=now)
    assert first.path != second.path
    assert [b.path for b in backups.list_backups(backup_dir)] == [first.path, second.path]


def test_nightly_backup_is_pushed_with_the_configured_command(app, runner, tmp_path, backup_dir):
    pushed = tmp_path / "pushed"
    app.config["BACKUP_PUSH_COMMAND"] = (
        f'{sys.executable} -c "import shutil,sys; shutil.copy(sys.argv[1], sys.argv[2])" {{file}} {pushed}'
    )
    result = runner.invoke(args=["backup", "create", "--label", "nightly", "--prune", "--push"])
    assert result.exit_code == 0, result.output
    [made] = backups.list_backups(backup_dir)
    assert pushed.read_bytes() == made.path.read_bytes()


def test_failed_push_keeps_the_backup_and_exits_2(app, runner, backup_dir):
    app.config["BACKUP_PUSH_COMMAND"] = f"{sys.executable} -c \"raise SystemExit('nas down')\""
    result = runner.invoke(args=["backup", "create", "--label", "nightly", "--push"])
    assert result.exit_code == 2
    assert "nas down" in result.output and "gardée sur la caisse" in result.output
    assert len(backups.list_backups(backup_dir)) == 1
    with app.app_context():
        assert journal("backup_push", "failed")
        db.session.remove()


def test_list_and_unknown_backup(runner, db_path, backup_dir):
    backups.create_backup(db_path, backup_dir, label="nightly")
    result = runner.invoke(args=["backup", "list"])
    assert "nightly" in result.output and result.exit_code == 0
    result = runner.invoke(args=["backup", "restore", "nope.sqlite", "--yes"])
    assert result.exit_code == 1 and "introuvable" in result.output
