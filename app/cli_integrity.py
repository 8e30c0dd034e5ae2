"""`flask --app wsgi integrity key | verify | archive | purge` — the signed chains from the
technician's and the inspector's side (docs/integrity.md, docs/controle-fiscal.md)."""

import os
import sys
from datetime import datetime

import click
from flask import current_app
from flask.cli import AppGroup

from app.extensions import db
from app.services.errors import DomainError

integrity_cli = AppGroup("integrity", help="Signing key, chain verification, fiscal archives and purge.")
DATE = click.DateTime(formats=["%Y-%m-%d"])


def _refuse(error) -> None:
    click.echo(f"Refusé : {error}", err=True)
    sys.exit(1)


@integrity_cli.command("key")
def key_command():
    """Create the box's signing key if it has none (provisioning runs this), then print its
    id and public key. Never replaces an existing key."""
    from app.services.signing_key import ensure_box_key

    made, key = ensure_box_key(db.session)
    click.echo(("Clé de signature créée" if made else "Clé de signature déjà présente") + f" : {key.key_id}")
    click.echo(key.public_pem.rstrip())


@integrity_cli.command("verify")
def verify_command():
    """Check every signed chain; exit 1, and journal an integrity failure, if one is broken."""
    from app.services.integrity import check_integrity

    verification = check_integrity(db.session, source="cli")
    click.echo(f"Caisse {verification.register_code or '-'}")
    for chain, count in verification.counts.items():
        problems = [p for p in verification.problems if p.chain == chain]
        state = "intègre" if not problems else f"{len(problems)} problème(s)"
        click.echo(
            f"  {chain:<9} {count:>7} enregistrement(s), dernier n°{verification.heads[chain]} — {state}"
        )
        for problem in problems:
            click.echo(f"    {problem}")
    if verification.sound:
        click.echo("OK : toutes les chaînes sont intègres.")
        return
    click.echo(f"ÉCHEC : {len(verification.problems)} problème(s), journalisé (code 90).", err=True)
    sys.exit(1)


@integrity_cli.command("archive")
@click.option("--from", "first", type=DATE, required=True, help="First day of the period (YYYY-MM-DD).")
@click.option("--to", "last", type=DATE, required=True, help="Last day of the period, included (YYYY-MM-DD).")
@click.option(
    "--out",
    "folder",
    type=click.Path(file_okay=False),
    default=None,
    help="Folder for the ZIP (default: INTEGRITY_ARCHIVE_DIR or instance/archives).",
)
def archive_command(first: datetime, last: datetime, folder):
    """Archive a closed period of at most 12 months: a signed ZIP that
    `python3 nf525.py ARCHIVE.zip` checks without the application."""
    from app.services.archiving import archive_period

    folder = (
        folder
        or current_app.config.get("INTEGRITY_ARCHIVE_DIR")
        or os.path.join(current_app.instance_path, "archives")
    )
    try:
        made = archive_period(db.session, first.date(), last.date(), folder)
    except DomainError as error:
        _refuse(error)
    counts = ", ".join(f"{chain} {n}" for chain, n in sorted(made.counts.items())) or "aucun enregistrement"
    click.echo(f"Archive écrite : {made.path}")
    click.echo(f"SHA-256 : {made.sha256}")
    click.echo(f"Enregistrements signés : {counts}")
    click.echo(f"Vérifier : python3 nf525.py {made.path}")


@integrity_cli.command("purge")
@click.option("--before", type=DATE, required=True, help="Purge tickets signed before this day (YYYY-MM-DD).")
def purge_command(before: datetime):
    """Remove the tickets (and their signed records) of archived periods before BEFORE,
    keeping at least INTEGRITY_KEEP_YEARS years; period totals are never purged."""
    from app.services.purging import purge_before

    try:
        done = purge_before(db.session, before.date())
    except DomainError as error:
        _refuse(error)
    if not done:
        click.echo("Rien à purger avant cette date.")
    for purged in done:
        click.echo(
            f"Purgé : {purged.chain} n°{purged.first} à n°{purged.last}, {purged.tickets} ticket(s) ;"
            f" la chaîne continue de n°{purged.last}."
        )
