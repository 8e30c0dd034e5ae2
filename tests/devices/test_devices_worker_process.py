"""The real owner process, `flask --app wsgi printer serve`, against a loopback printer:
one owner only, a clean stop on SIGTERM, and a kill in the middle of a job that loses
nothing (the copy sent after restart says it is a reprint after an incident)."""

import signal
import sqlite3

import pytest

from app.devices.queue import enqueue
from app.extensions import db
from tests.support.documents import receipt
from tests.support.escpos_decoder import decode
from tests.support.processes import Box, stop, wait_until

pytestmark = pytest.mark.slow


@pytest.fixture
def box(tmp_path, network_printer):
    box = Box(
        tmp_path,
        "http://127.0.0.1:9",
        "unused",
        PRINTER={**network_printer.config, "timeout": 60},
        PRINTER_POLL_SECONDS=0.05,
        PRINT_RETRY_FIRST_SECONDS=0.1,
        PRINT_RETRY_MAX_SECONDS=0.5,
        PRINTER_STATUS_SECONDS=0.5,
    )
    box.flask("db", "upgrade")
    return box


def queue_receipt(box, key="sale-1"):
    app = box.app()
    with app.app_context():
        enqueue(db.session, "receipt", receipt(), idempotency_key=key, document_uuid=f"doc-{key}")
        db.session.commit()
        db.session.remove()
        db.engine.dispose()


def rows(box, sql):
    connection = sqlite3.connect(box.db_path)
    try:
        return connection.execute(sql).fetchall()
    finally:
        connection.close()


def job_state(box):
    return rows(box, "SELECT state, attempts, interrupted FROM print_job")


def test_killed_mid_job_the_receipt_is_printed_again_marked(box, network_printer):
    network_printer.stall_after_job = True  # takes the receipt, then hangs
    worker = box.spawn_flask("serve-1", "printer", "serve")
    try:
        queue_receipt(box)
        with network_printer.received:
            network_printer.received.wait_for(lambda: network_printer.jobs, timeout=30)
        assert job_state(box) == [("printing", 1, 0)]
    finally:
        stop(worker, signal.SIGKILL)
    network_printer.stall_after_job = False
    worker = box.spawn_flask("serve-2", "printer", "serve")
    try:
        wait_until(lambda: job_state(box) == [("printed", 2, 1)], what="the job printed after restart")
    finally:
        assert stop(worker) == 0  # SIGTERM: a clean stop
    first, second = [decode(job).text for job in network_printer.jobs]
    assert "16,40 €" in first and "REIMPRESSION" not in first
    assert "16,40 €" in second and "REIMPRESSION APRES INCIDENT" in second
    assert rows(box, "SELECT code FROM device_status") == [("worker_down",)]
    assert ("print_recovered", "failed") in rows(box, "SELECT action, outcome FROM journal_entry")


def test_a_second_owner_is_refused(box, network_printer):
    worker = box.spawn_flask("serve-1", "printer", "serve")
    try:
        wait_until(
            lambda: rows(box, "SELECT code FROM device_status") == [("ok",)],
            what="the worker to see the printer",
        )
        result = box.flask("printer", "serve", check=False)
        assert result.returncode == 1 and "possède déjà l'imprimante" in result.stderr
        result = box.flask("printer", "test")  # handed to the running owner
        assert "mise dans la file" in result.stdout
        wait_until(
            lambda: rows(box, "SELECT state FROM print_job") == [("printed",)],
            what="the test page printed by the owner",
        )
    finally:
        assert stop(worker) == 0
    assert "PAGE DE TEST" in decode(network_printer.jobs[-1]).text
