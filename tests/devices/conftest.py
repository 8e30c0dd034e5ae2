"""Fixtures for the peripherals: an imported register (people with and without rights), the
loopback network printer, the fake USB bus, and the device worker run turn by turn."""

import pytest

from app.devices.worker import Worker
from app.extensions import db
from tests.support.fake_printer import FakeNetworkPrinter
from tests.support.fake_usb import FakeUsbBackend


@pytest.fixture
def app(app, tmp_path):
    # No waiting between tries in tests: each worker turn tries again at once.
    app.config.update(
        PRINT_RETRY_FIRST_SECONDS=0,
        PRINT_RETRY_MAX_SECONDS=0,
        PRINTER_STATUS_SECONDS=0,
        PRINTER_LOCK_FILE=str(tmp_path / "printer.lock"),
    )
    return app


@pytest.fixture
def imported(app, ho_client_for):
    """CAISSE01 imported from the demo head office: RESP01 (1234) has every right,
    VEND01 (1111) neither reprint nor open_drawer."""
    from app.sync.importing import import_register

    with app.app_context():
        with ho_client_for() as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        db.session.remove()
    return app


@pytest.fixture
def network_printer():
    printer = FakeNetworkPrinter()
    yield printer
    printer.close()


@pytest.fixture
def usb_bus():
    return FakeUsbBackend()


@pytest.fixture
def worker(app, ctx):
    """The device worker in this process, turned by hand: `worker().tick()`."""
    made = []

    def make(printer_config=None):
        if printer_config is not None:
            app.config["PRINTER"] = printer_config
        made.append(Worker(app))
        made[-1].start()
        return made[-1]

    return make
