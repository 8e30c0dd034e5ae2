"""Technician commands: `flask --app wsgi printer list | status | test | serve`."""

import glob
import logging
import signal
import sys
import threading

import click
from flask import current_app
from flask.cli import AppGroup

from app.box.health import refuse_to_start_on_damage
from app.extensions import db
from app.states import PrintJobKind

printer_cli = AppGroup("printer", help="Receipt printer and cash drawer.")


def _printer_config() -> dict:
    return current_app.config.get("PRINTER") or {"kind": "virtual"}


@printer_cli.command("list")
def list_command():
    """USB devices seen (with their ids for PRINTER), and printer device files."""
    import usb.core

    from app.devices.connections import connect, usb_devices

    click.echo(f"Configurée : {connect(_printer_config()).describe()}")
    backend = (_printer_config().get("usb_args") or {}).get("backend")
    try:
        devices = usb_devices(backend)
    except usb.core.NoBackendError:
        click.echo("USB : pilote libusb-1.0 absent (apt-get install libusb-1.0-0).", err=True)
        devices = None
    if devices is not None:
        click.echo(f"Périphériques USB : {len(devices)}")
        for d in devices:
            name = " ".join(filter(None, (d["manufacturer"], d["product"]))) or "(nom illisible)"
            mark = "imprimante" if d["printer"] else ""
            click.echo(
                f"  vendor_id=0x{d['vendor_id']:04x} product_id=0x{d['product_id']:04x}"
                f"  bus {d['bus']} adresse {d['address']}  {name}  {mark}".rstrip()
            )
    files = sorted(glob.glob("/dev/usb/lp*"))
    click.echo("Fichiers imprimante : " + (", ".join(files) if files else "aucun"))


@printer_cli.command("status")
def status_command():
    """Ask the printer for its status now (or show the worker's last answer)."""
    from app.devices.connections import connect
    from app.devices.queue import printer_status
    from app.devices.worker import AlreadyRunning, take_printer_lock

    try:
        lock = take_printer_lock(current_app)
    except AlreadyRunning as running:
        state = printer_status(db.session)
        db.session.rollback()
        click.echo(
            f"Service d'impression actif (pid {running}) : {state.message}"
            f"{' — ' + state.detail if state.detail else ''}; en attente : {state.queue_length}"
        )
        return
    try:
        status = connect(_printer_config()).status()
    finally:
        lock.close()
    click.echo(f"{status.message}{' — ' + status.detail if status.detail else ''}")
    sys.exit(0 if status.ready else 1)


@printer_cli.command("test")
def test_command():
    """Print a test page (euro sign, accents, width, the box's identity)."""
    from app.devices.connections import PrinterProblem, connect
    from app.devices.queue import enqueue
    from app.devices.render import columns, render_bytes
    from app.devices.worker import AlreadyRunning, take_printer_lock
    from app.models import new_uuid, utcnow
    from app.services.lifecycle import register_state

    state = register_state(db.session)
    config = current_app.config
    payload = {
        "terminal": config["COMPTOIR_TERMINAL"],
        "device_name": config["COMPTOIR_DEVICE_NAME"],
        "register_code": state.box.register_code,
        "timezone": state.timezone,
        "printed_at": utcnow().isoformat(),
        "columns": columns(),
        "printer": connect(_printer_config()).describe(),
    }
    db.session.rollback()
    try:
        lock = take_printer_lock(current_app)
    except AlreadyRunning as running:
        # The worker owns the printer: hand it the page like any document.
        enqueue(db.session, PrintJobKind.TEST, payload, idempotency_key=f"test:{new_uuid()}")
        db.session.commit()
        click.echo(f"Page de test mise dans la file ; le service d'impression (pid {running}) l'imprime.")
        return
    try:
        connection = connect(_printer_config())
        if connection.keeps_output:
            enqueue(db.session, PrintJobKind.TEST, payload, idempotency_key=f"test:{new_uuid()}")
            db.session.commit()
            click.echo(
                "Imprimante virtuelle : page de test mise dans la file "
                "(visible à l'écran Imprimante quand `printer serve` tourne)."
            )
            return
        status = connection.send(render_bytes(PrintJobKind.TEST, payload))
    except PrinterProblem as problem:
        click.echo(
            f"Échec : {problem.status.message}"
            f"{' — ' + problem.status.detail if problem.status.detail else ''}",
            err=True,
        )
        sys.exit(1)
    finally:
        lock.close()
    click.echo(f"Page de test envoyée ({connection.describe()}) : {status.message}")


@printer_cli.command("serve")
def serve_command():
    """Run the device worker: the one process that sends the print queue to the printer."""
    from app.devices.worker import AlreadyRunning, serve, take_printer_lock

    # force: python-escpos calls basicConfig() at import, which would silence ours.
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s", force=True)
    refuse_to_start_on_damage(current_app._get_current_object(), "Le service d'impression")
    try:
        lock = take_printer_lock(current_app)
    except AlreadyRunning as running:
        click.echo(
            f"Refusé : un autre « printer serve » possède déjà l'imprimante (pid {running}).", err=True
        )
        sys.exit(1)
    stop = threading.Event()
    # systemd stops with SIGTERM: finish the job in hand, never cut a receipt in two.
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    signal.signal(signal.SIGINT, lambda *_: stop.set())
    try:
        serve(current_app._get_current_object(), stop)
    finally:
        lock.close()
