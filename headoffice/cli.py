"""`flask --app headoffice <command>`: set up a head office from a console.

Commands call the rules in admin.py and turn an AdminError into a clean message with a
non-zero exit code, so provisioning scripts stop on the first mistake.
"""

from functools import wraps

import click
from flask import Flask
from flask.cli import with_appcontext

from headoffice.admin import (
    AdminError,
    create_product,
    create_register,
    create_shop,
    create_staff,
    create_token,
    grant_rights,
    set_cashier_sessions,
    set_fiscal_year_end,
    set_register_schedule,
)
from headoffice.audit import CONSOLE, record_change
from headoffice.cards import make_card
from headoffice.catalog_file import CatalogFileError
from headoffice.catalog_import import import_catalog
from headoffice.chains import clear_flag
from headoffice.day_figures import backfill_figures
from headoffice.demo import DEFAULT_BOX_TOKEN, DEFAULT_HEADOFFICE_TOKEN, load_demo
from headoffice.extensions import db
from headoffice.lookups import find_register, find_shop
from headoffice.money import parse_euros
from headoffice.people import create_user
from headoffice.refusals import Refused
from headoffice.rights import parse_rights
from headoffice.roles import Role
from headoffice.safe import set_safe
from headoffice.schema import ensure_schema
from headoffice.shop_summary import SummaryError, read_period, shop_summary
from headoffice.summary_csv import LANGS, summary_csv
from headoffice.titres import make_titre_service, set_issuer

SECRET_OPTIONS = ("password", "token", "box_token", "headoffice_token")


def _committing(command):
    """Commit on success, roll back and exit with the message on a refusal. A command that
    changed something leaves one line in the change log (who: console), its options as
    given, secrets replaced by "given"."""

    @wraps(command)
    def wrapper(*args, **kwargs):
        try:
            result = command(*args, **kwargs)
            if command.__name__ != "create_user_command":  # it logs its own line
                options = {
                    name: ("given" if name in SECRET_OPTIONS and value else value)
                    for name, value in kwargs.items()
                }
                name = command.__name__.removesuffix("_command").replace("_", "-")
                record_change(db.session, CONSOLE, f"console:{name}", name, after=options)
            db.session.commit()
            return result
        except (AdminError, ValueError) as exc:
            db.session.rollback()
            raise click.ClickException(str(exc)) from None

    return wrapper


def _cents(_ctx, _param, value):
    if value is None:
        return None
    try:
        return parse_euros(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


def _rights(_ctx, _param, value):
    try:
        return parse_rights(value)
    except ValueError as exc:
        raise click.BadParameter(str(exc)) from None


@click.command("init-db")
@with_appcontext
def init_db():
    """Create the tables and columns that do not exist yet (existing data is kept)."""
    for column in ensure_schema(db):
        click.echo(f"Column {column} added.")
    counted = backfill_figures()
    if counted:
        click.echo(f"Figures of {counted} received day(s) counted for the shop summary.")
    click.echo(f"Database ready: {db.engine.url.render_as_string(hide_password=True)}")


@click.command("create-shop")
@click.argument("code")
@click.argument("name")
@click.option("--timezone", default="Europe/Paris", show_default=True, help="IANA time zone.")
@click.option("--address", default="")
@click.option("--vat-number", default="")
@click.option(
    "--fiscal-year-end", default="12-31", show_default=True, help="Last day of the fiscal year, MM-DD."
)
@with_appcontext
@_committing
def create_shop_command(code, name, timezone, address, vat_number, fiscal_year_end):
    """Create shop CODE called NAME."""
    create_shop(
        code, name, timezone=timezone, address=address, vat_number=vat_number, fiscal_year_end=fiscal_year_end
    )
    click.echo(f"Shop {code} created.")


@click.command("set-fiscal-year-end")
@click.argument("shop")
@click.argument("month_day")
@with_appcontext
@_committing
def set_fiscal_year_end_command(shop, month_day):
    """The last day of SHOP's fiscal year, MM-DD (boxes take it at their next import)."""
    set_fiscal_year_end(shop, month_day)
    click.echo(f"Shop {shop}: fiscal year ends on {month_day}.")


@click.command("set-cashier-sessions")
@click.argument("shop")
@click.argument("state", type=click.Choice(["on", "off"]))
@with_appcontext
@_committing
def set_cashier_sessions_command(shop, state):
    """« Travail par session » for SHOP: on or off (boxes take it at their next import)."""
    set_cashier_sessions(shop, state == "on")
    click.echo(f"Shop {shop}: cashier sessions {state}.")


@click.command("grant-rights")
@click.argument("shop")
@click.argument("code")
@click.option("--rights", required=True, callback=_rights, help="Comma-separated rights to add.")
@with_appcontext
@_committing
def grant_rights_command(shop, code, rights):
    """Add rights to staff member CODE of SHOP (boxes take them at their next import)."""
    staff = grant_rights(shop, code, rights)
    click.echo(f"Staff {code} now has: {', '.join(sorted(r.right for r in staff.rights))}.")


@click.command("create-register")
@click.argument("shop")
@click.argument("code")
@click.argument("name")
@click.option(
    "--max-float",
    callback=_cents,
    default="0",
    show_default=True,
    help="Largest opening float, in euros (1000,00).",
)
@click.option("--counting-mandatory/--counting-optional", default=True, show_default=True)
@click.option("--blind-count/--no-blind-count", default=False, show_default=True)
@click.option(
    "--max-discount",
    type=click.IntRange(0, 100),
    default=100,
    show_default=True,
    help="Largest discount a seller may give, in percent.",
)
@click.option("--receipt-header", default="")
@click.option("--receipt-footer", default="")
@with_appcontext
@_committing
def create_register_command(
    shop, code, name, max_float, counting_mandatory, blind_count, max_discount, receipt_header, receipt_footer
):
    """Create register CODE called NAME in SHOP."""
    create_register(
        shop,
        code,
        name,
        max_float_cents=max_float,
        counting_mandatory=counting_mandatory,
        blind_count=blind_count,
        max_discount_percent=max_discount,
        receipt_header=receipt_header,
        receipt_footer=receipt_footer,
    )
    click.echo(f"Register {code} created in shop {shop}.")


@click.command("set-register-schedule")
@click.argument("shop")
@click.argument("register")
@click.option("--auto-close", help="Clôture automatique de la journée: HH:MM (shop time), or off.")
@click.option("--planned-import", help="Planned import: HH:MM (shop time), or off.")
@with_appcontext
@_committing
def set_register_schedule_command(shop, register, auto_close, planned_import):
    """REGISTER's scheduled work (boxes take it at their next import)."""
    if auto_close is None and planned_import is None:
        raise click.UsageError("Give --auto-close and/or --planned-import.")
    row = set_register_schedule(shop, register, auto_close=auto_close, planned_import=planned_import)
    click.echo(
        f"Register {register}: automatic closing {row.auto_close_time or 'off'}, "
        f"planned import {row.planned_import_time or 'off'}."
    )


@click.command("create-staff")
@click.argument("shop")
@click.argument("code")
@click.argument("name")
@click.option(
    "--rights", required=True, callback=_rights, help="Comma-separated rights (import,open,close,…) or 'all'."
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for, hidden, when not given.",
)
@with_appcontext
@_committing
def create_staff_command(shop, code, name, rights, password):
    """Create staff member CODE called NAME in SHOP."""
    create_staff(shop, code, name, password=password, rights=rights)
    click.echo(f"Staff {code} created in shop {shop} with rights: {', '.join(rights)}.")


@click.command("create-product")
@click.argument("shop")
@click.argument("code")
@click.argument("name")
@click.option("--price", required=True, callback=_cents, help="Price in euros: 2,50.")
@click.option("--vat", "vat_code", required=True, help="VAT rate code, e.g. TVA20.")
@click.option("--category", "category_code", required=True, help="Category code.")
@click.option("--unit", type=click.Choice(["unit", "kg"]), default="unit", show_default=True)
@click.option("--barcode", "barcodes", multiple=True, help="EAN-13 (or EAN-8/GTIN); repeatable.")
@with_appcontext
@_committing
def create_product_command(shop, code, name, price, vat_code, category_code, unit, barcodes):
    """Create product CODE called NAME in SHOP."""
    create_product(
        shop,
        code,
        name,
        price_cents=price,
        vat_code=vat_code,
        category_code=category_code,
        unit=unit,
        barcodes=tuple(barcodes),
    )
    click.echo(f"Product {code} created in shop {shop}.")


@click.command("create-token")
@click.option("--kind", type=click.Choice(["box", "headoffice"]), required=True)
@click.option("--shop", "shop_code", help="The shop a box token reaches (box tokens only).")
@click.option("--label", default="")
@click.option("--token", help="Use this value instead of a random one.")
@with_appcontext
@_committing
def create_token_command(kind, shop_code, label, token):
    """Create an API token and print it (only its hash is stored)."""
    value = create_token(kind, shop_code=shop_code, label=label, token=token)
    click.echo(value)


@click.command("create-user")
@click.argument("login")
@click.argument("name")
@click.option(
    "--role",
    type=click.Choice([role.value for role in Role]),
    default=Role.ADMINISTRATOR.value,
    show_default=True,
    help="viewer reads, manager also changes the catalogue and staff, administrator also users and tokens.",
)
@click.option(
    "--password",
    prompt=True,
    hide_input=True,
    confirmation_prompt=True,
    help="Asked for, hidden, when not given (at least 10 characters).",
)
@with_appcontext
@_committing
def create_user_command(login, name, role, password):
    """Create a user of head office's screens (the first administrator, then anyone)."""
    try:
        create_user(db.session, CONSOLE, login, name, role, password)
    except Refused as refused:
        raise AdminError(refused.message) from None
    click.echo(f"User {login} created with role {role}.")


@click.command("load-demo")
@click.option("--box-token", default=DEFAULT_BOX_TOKEN, show_default=True)
@click.option("--headoffice-token", default=DEFAULT_HEADOFFICE_TOKEN, show_default=True)
@with_appcontext
@_committing
def load_demo_command(box_token, headoffice_token):
    """Create the demo shop BOUTIQUE01 (kept as is when it already exists)."""
    ensure_schema(db)
    summary = load_demo(box_token=box_token, headoffice_token=headoffice_token)
    if summary.created:
        click.echo('Demo shop BOUTIQUE01 "Comptoir Démo" created.')
    else:
        click.echo("Demo shop BOUTIQUE01 already exists: its data was left unchanged.")
        if summary.methods_added:
            click.echo(f"Payment method(s) it lacked added: {', '.join(summary.methods_added)}.")
    click.echo(", ".join(f"{count} {name}" for name, count in summary.counts.items()))
    click.echo("People (code, name, password, rights):")
    for code, name, password, rights in summary.people:
        click.echo(f"  {code}  {name}  {password}  {','.join(rights)}")
    click.echo(f"Box token (shop BOUTIQUE01): {summary.tokens['box']}")
    click.echo(f"Head-office token:           {summary.tokens['headoffice']}")


@click.command("clear-integrity-flag")
@click.argument("shop_code")
@click.argument("register_code")
@click.option("--reason", required=True, help="What was found and decided (kept in integrity_event).")
@with_appcontext
@_committing
def clear_integrity_flag_command(shop_code, register_code, reason):
    """Clear a register's integrity flag once someone looked into the refused batch."""
    shop = find_shop(shop_code)
    register = find_register(shop.id, register_code) if shop else None
    if register is None:
        raise AdminError(f"No register {register_code!r} in shop {shop_code!r}.")
    if not register.integrity_flag:
        raise AdminError(f"Register {register_code} is not flagged.")
    flag = register.integrity_flag
    clear_flag(register, reason)
    click.echo(f"Register {register_code}: flag {flag} cleared.")


@click.command("make-titre-service")
@click.argument("shop")
@click.argument("method")
@with_appcontext
@_committing
def make_titre_service_command(shop, method):
    """Make METHOD of SHOP a titre-service: a number per voucher, never change, never refunds."""
    make_titre_service(shop, method)
    click.echo(f"Shop {shop}: {method} is a titre-service (add its issuers with set-titre-issuer).")


@click.command("set-titre-issuer")
@click.argument("shop")
@click.argument("method")
@click.argument("code")
@click.option("--name", default="", help="The issuer's name (default: its code).")
@click.option(
    "--mask", required=True, help="Numbering scheme: digits, N, AA or AAAA (year), C (check digit)."
)
@click.option(
    "--grace-days", type=click.IntRange(0), default=0, show_default=True, help="Days after 31 December."
)
@with_appcontext
@_committing
def set_titre_issuer_command(shop, method, code, name, mask, grace_days):
    """Add or change issuer CODE of the titre-service METHOD (docs/headoffice.md)."""
    set_issuer(shop, method, code, name, mask, grace_days)
    click.echo(f"Shop {shop}: issuer {code} of {method}, numbers {mask}, {grace_days} grace day(s).")


@click.command("set-safe")
@click.argument("shop")
@click.option("--on/--off", "enabled", required=True, help="« Gestion du coffre-fort » for the shop.")
@click.option("--limit", callback=_cents, help="Limit amount of the safe, in euros (1000,00).")
@click.option("--limit-days", type=click.IntRange(1, 366), help="Time limit: days without a withdrawal.")
@with_appcontext
@_committing
def set_safe_command(shop, enabled, limit, limit_days):
    """The safe (coffre-fort) of SHOP on or off, with its limits (docs/safe.md)."""
    set_safe(shop, enabled=enabled, limit_cents=limit, limit_days=limit_days)
    click.echo(f"Shop {shop}: safe {'on' if enabled else 'off'}.")


@click.command("make-card")
@click.argument("shop")
@click.argument("method")
@with_appcontext
@_committing
def make_card_command(shop, method):
    """Make METHOD of SHOP a card terminal's: its payments and refunds are the box's Liste des transactions."""
    make_card(shop, method)
    click.echo(f"Shop {shop}: {method} is a card method.")


@click.command("import-catalog")
@click.argument("shop")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option(
    "--format", "kind", type=click.Choice(["csv", "json"]), help="Default: from the file's extension."
)
@with_appcontext
def import_catalog_command(shop, file, kind):
    """Create or update SHOP's products from a CSV or JSON FILE (by code), all or nothing."""
    kind = kind or ("json" if file.lower().endswith(".json") else "csv")
    with open(file, "rb") as handle:
        data = handle.read()
    try:
        report = import_catalog(shop, data, kind)
    except CatalogFileError as error:
        raise click.ClickException(f"{error.message_fr}\n{error.message}") from None
    if not report.applied:
        for entry in report.refused:
            click.echo(
                f"row {entry['row']} ({entry['code']}): {entry['message_fr']} / {entry['message']}", err=True
            )
        if report.refused_count > len(report.refused):
            click.echo(f"… and {report.refused_count - len(report.refused)} more.", err=True)
        raise click.ClickException(
            f"{report.refused_count} ligne(s) refusée(s), rien n’a été modifié."
            f" / {report.refused_count} row(s) refused, nothing was changed."
        )
    click.echo(
        f"Shop {shop}: {report.created} created, {report.updated} updated, {report.unchanged} unchanged;"
        f" barcodes {report.barcodes_added} added, {report.barcodes_removed} removed"
        f" (catalogue version {report.catalog_version})."
    )


@click.command("shop-summary")
@click.argument("shop")
@click.option("--date", "day", help="A day, YYYY-MM-DD (« Journalière »).")
@click.option("--from", "start", help="First day of a period, YYYY-MM-DD (« Périodique »).")
@click.option("--to", "end", help="Last day of the period, included.")
@click.option("--lang", type=click.Choice(LANGS), default="fr", show_default=True)
@with_appcontext
def shop_summary_command(shop, day, start, end, lang):
    """Print SHOP's « Récapitulatif de la boutique » as CSV, per register and for the shop."""
    try:
        found = shop_summary(shop, read_period(day, start, end))
    except SummaryError as error:
        raise click.ClickException(f"{error.message_fr} / {error.message}") from None
    click.echo(summary_csv(found, lang), nl=False)


COMMANDS = (
    shop_summary_command,
    import_catalog_command,
    clear_integrity_flag_command,
    init_db,
    create_shop_command,
    set_fiscal_year_end_command,
    set_cashier_sessions_command,
    grant_rights_command,
    create_register_command,
    set_register_schedule_command,
    create_staff_command,
    create_product_command,
    create_token_command,
    create_user_command,
    load_demo_command,
    make_titre_service_command,
    set_titre_issuer_command,
    set_safe_command,
    make_card_command,
)


def register_cli(app: Flask) -> None:
    for command in COMMANDS:
        app.cli.add_command(command)
