"""The persistent queue: stored with the document's transaction, printed once, drawer kicks
first and never late, reprints as DUPLICATA n with the right and the journal."""

import json
from datetime import timedelta

import pytest
from sqlalchemy import select, update

from app.devices.queue import enqueue, kick_drawer, printer_status
from app.extensions import db
from app.models import DeviceStatus, JournalEntry, PrintJob, Staff, VirtualPrint, utcnow
from app.services.errors import AuthenticationFailed, RightMissing, StateForbids
from app.services.printing import open_drawer, reprint, retry
from tests.support.documents import receipt
from tests.support.escpos_decoder import decode
from tests.support.helpers import dump_database, journal


def jobs():
    db.session.expire_all()
    return list(db.session.scalars(select(PrintJob).order_by(PrintJob.id)))


def test_a_job_is_stored_with_the_transaction_that_caused_it(app, ctx):
    enqueue(db.session, "receipt", receipt(), idempotency_key="ticket:1:receipt", document_uuid="doc-1")
    db.session.rollback()  # the sale failed: no receipt either
    assert jobs() == []
    job = enqueue(db.session, "receipt", receipt(), idempotency_key="ticket:1:receipt", document_uuid="doc-1")
    db.session.commit()
    [stored] = jobs()
    assert (stored.id, stored.state, stored.attempts, stored.copy_number) == (job.id, "queued", 0, 0)
    assert json.loads(stored.payload)["ticket"]["total_cents"] == 1640


def test_the_same_idempotency_key_gives_the_same_job(app, ctx):
    first = enqueue(db.session, "receipt", receipt(), idempotency_key="ticket:1:receipt")
    db.session.commit()
    again = enqueue(db.session, "receipt", receipt(number=99), idempotency_key="ticket:1:receipt")
    db.session.commit()
    assert again.id == first.id and len(jobs()) == 1


def test_an_unknown_kind_is_a_programming_error(app, ctx):
    with pytest.raises(ValueError):
        enqueue(db.session, "poster", {}, idempotency_key="x")


def test_the_worker_prints_each_job_once_on_the_virtual_printer(app, worker):
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1", document_uuid="doc-1")
    db.session.commit()
    w = worker({"kind": "virtual"})
    assert w.tick() is True
    assert w.tick() is False
    [job] = jobs()
    assert (job.state, job.attempts, job.last_error) == ("printed", 1, None)
    [output] = db.session.scalars(select(VirtualPrint)).all()
    assert "16,40 €" in output.text and "16,40 €" in decode(output.data).text
    assert output.job_uuid == job.uuid


def test_a_drawer_kick_jumps_the_queue(app, worker):
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1")
    kick_drawer(db.session, reason="cash payment", idempotency_key="kick-1")
    db.session.commit()
    w = worker({"kind": "virtual"})
    w.tick()
    first_done = [j for j in jobs() if j.state == "printed"]
    assert [j.kind for j in first_done] == ["drawer"]
    w.tick()
    assert {j.state for j in jobs()} == {"printed"}
    data = [decode(o.data) for o in db.session.scalars(select(VirtualPrint).order_by(VirtualPrint.id))]
    assert [d.count("kick") for d in data] == [1, 0]


def test_a_stale_drawer_kick_is_dropped_never_fired_late(app, worker):
    kick = kick_drawer(db.session, reason="cash payment", idempotency_key="kick-1")
    db.session.execute(
        update(PrintJob)
        .where(PrintJob.id == kick.id)  # the printer was away for 30 s
        .values(created_at=utcnow() - timedelta(seconds=30))
    )
    db.session.commit()
    w = worker({"kind": "virtual"})
    w.tick()
    [job] = jobs()
    assert job.state == "dropped" and "Tiroir non ouvert" in job.last_error
    assert db.session.scalars(select(VirtualPrint)).all() == []
    assert journal("drawer_dropped", "failed")


def test_a_payload_that_cannot_be_laid_out_fails_at_once_and_is_journaled(app, worker):
    enqueue(db.session, "receipt", {"shop": {}}, idempotency_key="broken")
    db.session.commit()
    worker({"kind": "virtual"}).tick()
    [job] = jobs()
    assert job.state == "failed" and "document illisible" in job.last_error
    assert journal("print_failed", "failed")


def test_status_for_the_strip_counts_the_queue_and_sees_a_stopped_worker(app, worker):
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1")
    db.session.commit()
    status = printer_status(db.session)
    assert (status.code, status.queue_length, status.level) == ("worker_down", 1, "error")
    w = worker({"kind": "virtual"})
    assert printer_status(db.session).code == "virtual"
    w.tick()
    assert printer_status(db.session).queue_length == 0
    row = db.session.get(DeviceStatus, 1)
    row.heartbeat_at = utcnow() - timedelta(minutes=5)  # the worker died without a word
    db.session.commit()
    assert printer_status(db.session).code == "worker_down"
    w.stop()
    assert printer_status(db.session).message == "Service d'impression arrêté"


# --- a manager's actions ------------------------------------------------------------------


@pytest.fixture
def printed_receipt(imported, worker):
    enqueue(db.session, "receipt", receipt(), idempotency_key="k1", document_uuid="doc-1")
    db.session.commit()
    w = worker({"kind": "virtual"})
    w.tick()
    return w


def test_reprint_makes_duplicata_1_then_2_journaled(printed_receipt):
    copy = reprint(db.session, "doc-1", "RESP01", "1234")
    assert (copy.copy_number, copy.document_uuid, copy.kind) == (1, "doc-1", "receipt")
    second = reprint(db.session, copy.uuid, "RESP01", "1234")
    assert second.copy_number == 2
    printed_receipt.tick()
    printed_receipt.tick()
    texts = [o.text for o in db.session.scalars(select(VirtualPrint).order_by(VirtualPrint.id))]
    assert "DUPLICATA" not in texts[0] and "DUPLICATA n°1" in texts[1] and "DUPLICATA n°2" in texts[2]
    entries = db.session.scalars(select(JournalEntry).where(JournalEntry.action == "reprint")).all()
    assert [(e.actor_code, e.subject_uuid, json.loads(e.details)["copy_number"]) for e in entries] == [
        ("RESP01", "doc-1", 1),
        ("RESP01", "doc-1", 2),
    ]


@pytest.mark.parametrize(
    "person, password, error, reason",
    [
        ("RESP01", "0000", AuthenticationFailed, "Mot de passe incorrect"),
        ("VEND01", "1111", RightMissing, None),
    ],
)
def test_reprint_refused_changes_nothing_and_is_journaled(printed_receipt, person, password, error, reason):
    before = dump_database()
    with pytest.raises(error):
        reprint(db.session, "doc-1", person, password)
    assert dump_database() == before
    [entry] = journal("reprint", "refused")
    assert entry.actor_code == person and (reason is None or entry.reason == reason)


def test_reprint_of_an_unknown_document_is_refused(printed_receipt):
    with pytest.raises(Exception, match="Aucun document"):
        reprint(db.session, "nope", "RESP01", "1234")
    assert journal("reprint", "refused")


def test_open_drawer_needs_the_right_and_is_journaled(imported, worker):
    with pytest.raises(RightMissing):
        open_drawer(db.session, "VEND01", "1111")
    assert jobs() == []
    job = open_drawer(db.session, "RESP01", "1234")
    assert job.kind == "drawer" and job.state == "queued"
    [entry] = journal("open_drawer", "ok")
    assert entry.actor_code == "RESP01"
    worker({"kind": "virtual"}).tick()
    [output] = db.session.scalars(select(VirtualPrint)).all()
    assert decode(output.data).count("kick") == 1


def test_retry_puts_a_failed_job_back_and_refuses_a_printed_one(printed_receipt):
    enqueue(db.session, "receipt", {"shop": {}}, idempotency_key="broken")
    db.session.commit()
    printed_receipt.tick()
    failed = [j for j in jobs() if j.state == "failed"][0]
    manager = db.session.get(Staff, "RESP01")  # signed in on the printer screen
    job = retry(db.session, failed.uuid, manager)
    assert (job.state, job.attempts) == ("queued", 0)
    assert journal("print_retry", "ok")
    printed = [j for j in jobs() if j.state == "printed"][0]
    with pytest.raises(StateForbids, match="Réimprimer"):
        retry(db.session, printed.uuid, manager)
