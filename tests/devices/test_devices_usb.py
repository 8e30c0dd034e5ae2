"""The USB path through python-escpos and pyusb, on a fake pyusb backend: a receipt and its
status over the endpoints, unknown ids, a device the service user may not open, and
`printer list` / `printer test` as the technician runs them."""

from sqlalchemy import select

from app.devices.connections import connect
from app.devices.queue import enqueue, printer_status
from app.extensions import db
from app.models import PrintJob
from tests.support.documents import receipt
from tests.support.escpos_decoder import decode
from tests.support.helpers import journal


def usb_config(bus, **extra):
    return {
        "kind": "usb",
        "vendor_id": 0x04B8,
        "product_id": 0x0202,
        "timeout": 1,
        "usb_args": {"backend": bus},
        **extra,
    }


def test_a_receipt_goes_out_on_the_usb_endpoint(app, worker, usb_bus):
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1")
    db.session.commit()
    worker(usb_config(usb_bus)).tick()
    db.session.expire_all()
    assert db.session.scalar(select(PrintJob.state)) == "printed"
    paper = decode(bytes(usb_bus.written))
    assert "16,40 €" in paper.text and paper.count("cut") == 1


def test_usb_status_is_read_from_the_in_endpoint(usb_bus):
    connection = connect(usb_config(usb_bus))
    assert connection.status().code == "ok"
    usb_bus.state = "paper_out"
    assert connection.status().code == "paper_out"
    usb_bus.state = "cover_open"
    assert connection.status().code == "cover_open"


def test_unknown_ids_say_not_found(usb_bus):
    status = connect(usb_config(usb_bus, product_id=0x9999)).status()
    assert status.code == "not_found" and "Imprimante introuvable" in status.message


def test_unplugged_printer_says_not_found_and_the_job_waits(app, worker, usb_bus):
    usb_bus.unplugged = True
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1")
    db.session.commit()
    w = worker(usb_config(usb_bus))
    w.tick()
    db.session.expire_all()
    assert db.session.scalar(select(PrintJob.state)) == "queued"
    assert printer_status(db.session).code == "not_found"
    usb_bus.unplugged = False
    w.tick()
    db.session.expire_all()
    assert db.session.scalar(select(PrintJob.state)) == "printed"


def test_permission_denied_is_named_on_screen_and_in_the_journal(app, worker, usb_bus):
    usb_bus.denied = True
    worker(usb_config(usb_bus))
    status = printer_status(db.session)
    assert status.code == "permission" and "droits" in status.message
    [entry] = journal("printer_status", "failed")
    assert entry.reason == "Accès à l'imprimante refusé (droits sur le périphérique)"


def test_missing_ids_in_the_config(usb_bus):
    assert connect({"kind": "usb"}).status().code == "not_found"


def test_printer_list_shows_the_ids(app, runner, usb_bus):
    app.config["PRINTER"] = usb_config(usb_bus)
    result = runner.invoke(args=["printer", "list"])
    assert result.exit_code == 0, result.output
    assert "vendor_id=0x04b8 product_id=0x0202" in result.output and "imprimante" in result.output
    assert "Configurée : usb 04b8:0202" in result.output


def test_printer_test_prints_directly_when_no_worker_runs(app, runner, usb_bus):
    app.config["PRINTER"] = usb_config(usb_bus)
    result = runner.invoke(args=["printer", "test"])
    assert result.exit_code == 0, result.output
    paper = decode(bytes(usb_bus.written))
    assert (
        "PAGE DE TEST" in paper.text and "16,40 €" in paper.text and "Terminal WEB01 (FF Gui)" in paper.text
    )


def test_printer_test_and_status_report_a_failure(app, runner, usb_bus):
    usb_bus.denied = True
    app.config["PRINTER"] = usb_config(usb_bus)
    result = runner.invoke(args=["printer", "test"])
    assert result.exit_code == 1 and "Accès à l'imprimante refusé" in result.output
    result = runner.invoke(args=["printer", "status"])
    assert result.exit_code == 1 and "Accès à l'imprimante refusé" in result.output
