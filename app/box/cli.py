"""`flask --app wsgi backup create|list|restore|prune` — the technician's side of backups.

The nightly timer runs `backup create --label nightly --prune --push`; provisioning runs
`backup create --label pre-upgrade` before migrating. Both a backup and a restore are
written to the journal."""

import os
import sys
from datetime import timezone
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from app.box import backup as backups
from app.extensions import db
from app.models.journal import record

backup_cli = AppGroup("backup", help="Back up, list, prune and restore the database.")


def _database() -> Path:
    return Path(db.engine.url.database)


def _directory() -> Path:
    return Path(current_app.config.get("BACKUP_DIR") or os.path.join(current_app.instance_path, "backups"))


def _refuse(message: str, code: int = 1):
    click.echo(f"Refusé : {message}", err=True)
    sys.exit(code)


def _journal(action: str, outcome: str = "ok", reason=None, **details) -> None:
    """Best effort: a journal that cannot be written (damaged file) must not hide the
    result of the backup or restore itself."""
    try:
        record(db.session, action, outcome=outcome, reason=reason, source="cli", **details)
        db.session.commit()
    except Exception as error:  # noqa: BLE001 — any database failure, reported below
        db.session.rollback()
        click.echo(f"(journal non écrit : {error.__class__.__name__})", err=True)
    finally:
        db.session.remove()


@backup_cli.command("create")
@click.option("--label", type=click.Choice(backups.LABELS), default="manual", show_default=True)
@click.option("--prune", is_flag=True, help="Then apply the retention (BACKUP_KEEP_*).")
@click.option("--push", is_flag=True, help="Then run BACKUP_PUSH_COMMAND with the file.")
def create_command(label, prune, push):
    """Copy the database to the backups folder and check the copy."""
    try:
        made = backups.create_backup(_database(), _directory(), label=label)
    except backups.BackupError as error:
        _journal("backup", "failed", reason=str(error), label=label)
        _refuse(str(error))
    _journal("backup", file=made.name, label=label, size=made.size)
    click.echo(f"Sauvegarde vérifiée : {made.path} ({made.size} octets)")
    if prune:
        _prune()
    if push:
        command = current_app.config.get("BACKUP_PUSH_COMMAND")
        if not command:
            click.echo("Envoi : aucun BACKUP_PUSH_COMMAND configuré, la sauvegarde reste sur la caisse.")
            return
        try:
            backups.push_backup(command, made.path, timeout=current_app.config["BACKUP_PUSH_TIMEOUT_SECONDS"])
        except backups.BackupError as error:
            _journal("backup_push", "failed", reason=str(error), file=made.name)
            # Exit 2: the copy is safe on the box, only the push needs looking at.
            _refuse(f"{error} La sauvegarde est gardée sur la caisse.", code=2)
        _journal("backup_push", file=made.name)
        click.echo(f"Envoyée : {made.name}")


@backup_cli.command("list")
def list_command():
    """Show the backups, oldest first (times in UTC)."""
    found = backups.list_backups(_directory())
    if not found:
        click.echo(f"Aucune sauvegarde dans {_directory()}")
    for item in found:
        click.echo(
            f"{item.name}  {item.created_at.astimezone(timezone.utc):%Y-%m-%d %H:%M:%S}Z"
            f"  {item.label:<11}  {item.size:>10} octets"
        )


def _prune():
    removed = backups.prune_backups(
        _directory(),
        keep_nightly=current_app.config["BACKUP_KEEP_NIGHTLY"],
        keep_other=current_app.config["BACKUP_KEEP_OTHER"],
    )
    for item in removed:
        click.echo(f"Supprimée (rétention) : {item.name}")
    click.echo(f"Rétention appliquée : {len(removed)} sauvegarde(s) supprimée(s).")


@backup_cli.command("prune")
def prune_command():
    """Delete the backups beyond the retention (BACKUP_KEEP_NIGHTLY, BACKUP_KEEP_OTHER)."""
    _prune()


@backup_cli.command("restore")
@click.argument("backup")
@click.option("--yes", is_flag=True, help="Do not ask for confirmation.")
def restore_command(backup, yes):
    """Replace the database by BACKUP (a name from `backup list`, or a path).

    The web, scheduler and printer services must be stopped first; the replaced file is
    kept in backups/replaced/."""
    try:
        source = backups.find_backup(_directory(), backup)
    except backups.BackupError as error:
        _refuse(str(error))
    if not yes:
        click.confirm(f"Remplacer la base {_database()} par {source.name} ?", abort=True)
    backups.release_database_use(db.engine)  # this process must not hold what it replaces
    try:
        result = backups.restore_backup(_database(), source, _directory() / "replaced")
    except backups.BackupError as error:
        _refuse(str(error))
    _journal("restore", file=source.name, replaced_as=result.replaced_as.name if result.replaced_as else None)
    click.echo(f"Base restaurée depuis {source.name}.")
    if result.replaced_as:
        click.echo(f"L'ancienne base est gardée : {result.replaced_as}")
    click.echo(
        "Ensuite : « flask --app wsgi db upgrade » si la sauvegarde précède une mise à "
        "jour, puis « systemctl start comptoir-web comptoir-scheduler »."
    )
