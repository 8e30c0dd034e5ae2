"""A network printer on loopback that goes offline, runs out of paper, opens its cover,
refuses, drops a job halfway: the sale is never slowed, the job waits and prints once."""

import threading
import time

from sqlalchemy import select

from app.devices.queue import enqueue, kick_drawer, printer_status
from app.devices.worker import Worker
from app.extensions import db
from app.models import PrintJob
from tests.support.documents import receipt
from tests.support.escpos_decoder import decode
from tests.support.helpers import journal
from tests.support.processes import wait_until


def job_state():
    db.session.expire_all()
    job = db.session.scalar(select(PrintJob).order_by(PrintJob.id.desc()))
    return job.state, job.attempts, job.interrupted, job.last_error


def current_status():
    # Read and let go: a test holding a transaction would hold the worker's write lock.
    status = printer_status(db.session)
    db.session.rollback()
    return status


def queue_receipt(key="k1", total=1640):
    enqueue(
        db.session, "receipt", receipt(total_cents=total), idempotency_key=key, document_uuid=f"doc-{key}"
    )
    db.session.commit()


def test_a_receipt_reaches_the_network_printer(app, worker, network_printer):
    queue_receipt()
    w = worker(network_printer.config)
    assert w.tick()
    assert job_state()[:2] == ("printed", 1)
    [data] = [job for job in network_printer.jobs]
    paper = decode(data)
    assert "16,40 €" in paper.text and paper.count("cut") == 1 and paper.count("kick") == 0


def test_drawer_kick_reaches_the_printer_once(app, worker, network_printer):
    kick_drawer(db.session, reason="cash payment", idempotency_key="kick-1")
    db.session.commit()
    worker(network_printer.config).tick()
    [data] = network_printer.jobs
    assert decode(data).count("kick") == 1


def test_paper_out_leaves_the_job_waiting_with_a_clear_status(app, worker, network_printer):
    network_printer.state = "paper_out"
    queue_receipt()
    w = worker(network_printer.config)
    w.tick()
    assert job_state()[:2] == ("queued", 0)
    status = printer_status(db.session)
    assert (status.code, status.message, status.queue_length) == ("paper_out", "Plus de papier", 1)
    assert [e.reason for e in journal("printer_status", "failed")] == ["Plus de papier"]
    assert network_printer.jobs == []
    network_printer.state = "ok"
    w.tick()
    assert job_state()[0] == "printed" and len(network_printer.jobs) == 1
    assert [e.reason for e in journal("printer_status", "ok")] == ["Imprimante prête"]


def test_cover_open_and_paper_near_end(app, worker, network_printer):
    network_printer.state = "cover_open"
    w = worker(network_printer.config)
    assert printer_status(db.session).code == "cover_open"
    network_printer.state = "near_end"
    queue_receipt()
    w.tick()  # near end still prints, with a warning
    assert job_state()[0] == "printed"
    assert (printer_status(db.session).code, printer_status(db.session).level) == (
        "paper_near_end",
        "warning",
    )


def test_a_printer_that_refuses_connections(app, worker, network_printer):
    network_printer.refuse = True
    queue_receipt()
    w = worker(network_printer.config)
    w.tick()
    assert job_state()[0] == "queued"
    assert printer_status(db.session).code in ("refused", "unavailable")


def test_nobody_listening_is_a_refused_connection(app, worker, network_printer):
    config = {**network_printer.config}
    network_printer.close()
    queue_receipt()
    worker(config).tick()
    assert job_state()[0] == "queued"
    status = printer_status(db.session)
    assert status.code == "refused" and "refuse" in status.message


def test_a_connection_dropped_mid_job_prints_again_marked(app, worker, network_printer):
    network_printer.drop_after = 40
    queue_receipt()
    w = worker(network_printer.config)
    w.tick()
    state, attempts, interrupted, error = job_state()
    assert (state, attempts, interrupted) == ("queued", 1, True) and error
    w.tick()
    assert job_state()[:2] == ("printed", 2)
    first, second = network_printer.jobs
    assert len(first) == 40 and "REIMPRESSION APRES INCIDENT" in decode(second).text
    assert "16,40 €" in decode(second).text


def test_a_job_that_keeps_failing_is_set_aside_not_lost(app, worker, network_printer):
    app.config["PRINT_MAX_ATTEMPTS"] = 2
    queue_receipt()
    w = worker(network_printer.config)
    for _ in range(2):
        network_printer.drop_after = 10
        w.tick()
    state, attempts, _, error = job_state()
    assert (state, attempts) == ("failed", 2) and error
    assert journal("print_failed", "failed")
    assert printer_status(db.session).failed == 1


def test_printer_offline_during_a_sale(app, ctx, network_printer):
    """The sale's commit does not wait for the printer (enqueue never touches it); the worker
    keeps the receipt while the printer is away and prints it exactly once when it is back."""
    network_printer.silent = True  # hung: takes connections, never answers
    stop = threading.Event()

    def run_worker():
        with app.app_context():
            worker = Worker(app)
            worker.start()
            while not stop.is_set():
                if not worker.tick():
                    stop.wait(0.05)
            db.session.remove()

    app.config["PRINTER"] = network_printer.config
    thread = threading.Thread(target=run_worker)
    thread.start()
    try:
        wait_until(lambda: network_printer.connections > 0, what="the worker to try the printer")
        connections = network_printer.connections
        started = time.monotonic()
        queue_receipt("sale-1")  # the sale's transaction: ticket rows + the print job
        assert time.monotonic() - started < 0.5  # the printer's 2 s timeout is not in it
        wait_until(lambda: current_status().code == "no_answer", what="no answer status")
        assert job_state()[0] == "queued" and network_printer.jobs == []
        db.session.rollback()
        assert network_printer.connections >= connections
        network_printer.silent = False
        wait_until(lambda: job_state()[0] == "printed" or db.session.rollback(), what="the receipt to print")
        db.session.rollback()
    finally:
        stop.set()
        thread.join(timeout=10)
    assert [decode(j).text.count("16,40 €") > 0 for j in network_printer.jobs] == [True]


def test_a_drawer_kick_cut_off_mid_send_is_dropped_not_fired_again(app, worker, network_printer):
    network_printer.drop_after = 2
    kick_drawer(db.session, reason="cash payment", idempotency_key="kick-1")
    db.session.commit()
    w = worker(network_printer.config)
    w.tick()
    w.tick()
    assert job_state()[:2] == ("dropped", 1)
    assert len(network_printer.jobs) == 1 and journal("drawer_dropped", "failed")
    assert printer_status(db.session).failed == 0
