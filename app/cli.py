"""Technician commands: `flask --app wsgi sync …` and `flask --app wsgi scheduler`."""

import logging
import sys

import click
from flask import current_app
from flask.cli import AppGroup, with_appcontext

from app.box.cli import backup_cli
from app.box.health import refuse_to_start_on_damage
from app.extensions import db
from app.services.errors import DomainError
from app.services.lifecycle import register_state
from app.sync.client import HeadOfficeClient

sync_cli = AppGroup("sync", help="Import from and export to head office.")


def _client():
    return HeadOfficeClient.from_config(current_app.config)


def _fail(error: DomainError):
    click.echo(f"Refusé : {error}", err=True)
    sys.exit(1)


@sync_cli.command("import")
@click.argument("register_code")
@click.option("--person", required=True, help="Code of a person allowed to import.")
@click.option("--password", prompt=True, hide_input=True, help="Their password (prompted when omitted).")
def import_command(register_code, person, password):
    """Import REGISTER_CODE's data (catalog, staff, settings) from head office."""
    from app.sync.importing import import_register

    try:
        with _client() as client:
            run = import_register(db.session, client, register_code, person, password)
    except DomainError as error:
        _fail(error)
    click.echo(f"Import terminé : caisse {run.register_code}, version {run.snapshot_version}.")


@sync_cli.command("export")
@click.option("--person", required=True, help="Code of a person allowed to export.")
@click.option("--password", prompt=True, hide_input=True)
def export_command(person, password):
    """Send every closed, not-yet-exported day to head office."""
    from app.sync.exporting import export_days

    try:
        with _client() as client:
            batches = export_days(db.session, client, person, password)
    except DomainError as error:
        _fail(error)
    days = sum(b.day_count for b in batches)
    click.echo(f"Export terminé : {len(batches)} lot(s), {days} journée(s).")


@sync_cli.command("retry")
def retry_command():
    """Send pending export batches whose retry time has come (what the scheduler does)."""
    from app.sync.jobs import retry_exports_job

    sent = retry_exports_job(current_app._get_current_object())
    click.echo(f"Lots acquittés : {sent}")


@sync_cli.command("status")
def status_command():
    """Show the register state (A/B/C/D), pending export batches, batches in conflict and
    integrity alerts."""
    from app.sync.conflicts import conflicting_batches

    state = register_state(db.session)
    click.echo(f"État : {state.code}  caisse : {state.box.register_code or '-'}")
    click.echo(f"Journées à exporter : {len(state.days_to_export)}")
    for batch in state.pending_batches:
        click.echo(
            f"Lot en attente {batch.id} : {batch.day_count} journée(s), "
            f"{batch.attempts} essai(s), prochain {batch.next_attempt_at:%Y-%m-%d %H:%M:%S}Z"
            f"{' — ' + batch.last_error if batch.last_error else ''}"
        )
    for batch in conflicting_batches(db.session):
        click.echo(
            f"Lot en conflit {batch.id} : {batch.day_count} journée(s) — {batch.last_error}"
            f'\n  → flask --app wsgi sync set-aside {batch.id} --reason "…"'
        )
    from app.sync.alerts import open_alerts

    for alert in open_alerts(db.session):  # docs/integrity.md: head office refused the chains
        click.echo(
            f"Alerte d'intégrité ({alert.reason}, lot {alert.batch_id}, {alert.raised_at:%Y-%m-%d %H:%M}Z) :"
            f" {alert.detail}"
        )
    db.session.rollback()


@sync_cli.command("set-aside")
@click.argument("batch_id")
@click.option("--reason", required=True, help="Why, for the journal (e.g. the ticket number).")
@click.option("--person", default=None, help="Who decides (journaled).")
def set_aside_command(batch_id, reason, person):
    """Set aside an export batch head office refused (409): it is kept on the box, never
    deleted, its days stop waiting for export, and the box can import again."""
    from app.sync.conflicts import set_aside_batch

    try:
        batch = set_aside_batch(db.session, batch_id, reason, actor=person)
    except DomainError as error:
        _fail(error)
    click.echo(
        f"Lot {batch.id} mis de côté ({batch.day_count} journée(s)) : gardé sur la caisse, "
        f"journalisé. Son contenu : flask --app wsgi sync batch {batch.id}"
    )
    click.echo(f"État : {register_state(db.session).code}")
    db.session.rollback()


@sync_cli.command("batch")
@click.argument("batch_id")
def batch_command(batch_id):
    """Print an export batch's exact JSON body (to hand a set-aside batch to head office)."""
    from app.models import ExportBatch

    batch = db.session.get(ExportBatch, batch_id.strip())
    if batch is None:
        click.echo(f"Refusé : aucun lot d'export {batch_id} sur cette caisse.", err=True)
        sys.exit(1)
    click.echo(batch.body)
    db.session.rollback()


@click.command("scheduler")
@click.option("--once", is_flag=True, help="Run every job once, then exit.")
@with_appcontext
def scheduler_command(once):
    """Run the scheduler process: export retries, the automatic closing, the planned import."""
    from app.sync.jobs import run_once, run_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    # APScheduler says "running job" every tick; the journal needs only what went wrong.
    logging.getLogger("apscheduler").setLevel(logging.WARNING)
    app = current_app._get_current_object()
    refuse_to_start_on_damage(app, "Le planificateur")
    if once:
        click.echo(run_once(app))
        return
    run_scheduler(app)


def register_cli(app) -> None:
    app.cli.add_command(sync_cli)
    app.cli.add_command(scheduler_command)
    from app.cli_printer import printer_cli

    app.cli.add_command(printer_cli)
    app.cli.add_command(backup_cli)
    from app.cli_integrity import integrity_cli

    app.cli.add_command(integrity_cli)
