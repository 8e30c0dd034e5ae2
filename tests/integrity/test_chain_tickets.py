"""The ticket chain: every sale, return and cancellation is signed as it is written, the
receipt prints the signature extract, and the verifier names what an auditor edits directly
in the SQLite file (docs/integrity.md)."""

import nf525
from app.extensions import db
from app.services.integrity import verify_chains
from tests.support.auditor import edit_database as _edit
from tests.support.till import sell


def _verify(app):
    with app.app_context():
        try:
            return verify_chains(db.session)
        finally:
            db.session.remove()


def _problems(app):
    return [(p.chain, p.number, p.what) for p in _verify(app).problems]


def test_each_finished_ticket_is_the_next_signed_record(app, kiosk, till):
    first = sell(kiosk, till, ["Baguette tradition"])
    second = sell(kiosk, till, ["Croissant", "Croissant"])
    rows = till.sql(
        "SELECT chain, number, kind, subject_uuid, previous, signature FROM signed_record"
        " WHERE chain = 'ticket' ORDER BY number"
    ).all()
    assert [(r.number, r.kind, r.subject_uuid) for r in rows] == [
        (1, "sale", first.uuid),
        (2, "sale", second.uuid),
    ]
    assert rows[0].previous == "" and rows[1].previous == rows[0].signature
    verification = _verify(app)
    assert verification.sound and verification.counts["ticket"] == 2


def test_the_receipt_prints_the_signature_extract_and_the_software(app, kiosk, till):
    ticket = sell(kiosk, till, ["Baguette tradition"])
    signature = till.sql(
        "SELECT signature FROM signed_record WHERE subject_uuid = :u", u=ticket.uuid
    ).scalar()
    payload = till.sql(
        "SELECT payload FROM print_job WHERE document_uuid = :u AND kind = 'receipt'", u=ticket.uuid
    ).scalar()
    assert f"Signature {nf525.extract(signature)} - Comptoir" in _printed(app, ticket.uuid)
    assert nf525.extract(signature) in payload


def _printed(app, uuid):
    from app.devices.render import preview_text

    with app.app_context():
        from app.models import PrintJob

        job = db.session.query(PrintJob).filter_by(document_uuid=uuid, kind="receipt").one()
        return preview_text(job)


def test_a_signed_record_cannot_be_changed_or_deleted(app, kiosk, till):
    sell(kiosk, till, ["Baguette tradition"])
    for statement in ("UPDATE signed_record SET kind = 'return'", "DELETE FROM signed_record"):
        try:
            till.sql(statement)
        except Exception as error:  # the trigger's ABORT
            assert "signed record cannot" in str(error)
        else:
            raise AssertionError(f"{statement} went through")


def test_an_edited_quantity_price_or_payment_is_named(app, kiosk, till):
    tickets = [sell(kiosk, till, ["Baguette tradition"]) for _ in range(3)]
    assert _problems(app) == []
    _edit(app, "UPDATE ticket_line SET quantity_milli = 2000 WHERE ticket_id = ?", tickets[0].id)
    _edit(app, "UPDATE ticket_line SET unit_price_cents = 1 WHERE ticket_id = ?", tickets[1].id)
    _edit(app, "UPDATE payment SET amount_cents = 1 WHERE ticket_id = ?", tickets[2].id)
    problems = _verify(app).problems
    assert [(p.number, p.what) for p in problems] == [(1, "altered"), (2, "altered"), (3, "altered")]
    assert "lines" in problems[0].detail and "payments" in problems[2].detail


def test_a_deleted_middle_ticket_a_swap_and_a_forged_record_are_named(app, kiosk, till):
    for _ in range(4):
        sell(kiosk, till, ["Croissant"])
    _edit(app, "DELETE FROM signed_record WHERE chain = 'ticket' AND number = 2")
    assert ("ticket", 2, "missing") in _problems(app)
    _edit(app, "UPDATE signed_record SET number = 99 WHERE chain = 'ticket' AND number = 3")
    assert ("ticket", 99, "altered") in _problems(app)


def test_two_records_swapped_are_named(app, kiosk, till):
    """The auditor swaps what two records say (payload, signature and subject): each is
    signed, but neither sits where it was signed, nor matches the ticket it now names."""
    for _ in range(3):
        sell(kiosk, till, ["Croissant"])
    rows = till.sql(
        "SELECT id, subject_uuid, payload, signature, previous FROM signed_record"
        " WHERE chain = 'ticket' ORDER BY number"
    ).all()
    second, third = rows[1], rows[2]
    for row, other in ((second, third), (third, second)):
        _edit(
            app,
            "UPDATE signed_record SET subject_uuid = ?, payload = ?, signature = ?, previous = ? WHERE id = ?",
            other.subject_uuid,
            other.payload,
            other.signature,
            other.previous,
            row.id,
        )
    found = _problems(app)
    assert ("ticket", 2, "altered") in found and ("ticket", 3, "altered") in found, found


def test_a_forged_record_inserted_is_named(app, kiosk, till):
    """A record added by hand — a sale that never happened, signed with a key of the
    auditor's — is named, and so is a copy of a real record under the next number."""
    ticket = sell(kiosk, till, ["Croissant"])
    row = till.sql("SELECT * FROM signed_record WHERE chain = 'ticket'").mappings().one()
    forger = nf525.new_private_key()
    record = {
        "register": row["register_code"],
        "chain": "ticket",
        "number": 2,
        "kind": "sale",
        "at": row["at"],
        "uuid": ticket.uuid,
        "key_id": nf525.key_id(forger),
        "fields": {"total_cents": 1},
        "previous": row["signature"],
    }
    payload = nf525.canonical(record)
    _edit(
        app,
        "INSERT INTO signed_record (register_code, chain, number, kind, subject_uuid, at, key_id, payload,"
        " signature, previous) VALUES (?, 'ticket', 2, 'sale', ?, ?, ?, ?, ?, ?)",
        row["register_code"],
        ticket.uuid,
        row["at"],
        record["key_id"],
        payload.decode(),
        nf525.sign(forger, payload),
        row["signature"],
    )
    assert ("ticket", 2, "wrong_key") in _problems(app)
    _edit(app, "DELETE FROM signed_record WHERE chain = 'ticket' AND number = 2")
    _edit(
        app,
        "INSERT INTO signed_record (register_code, chain, number, kind, subject_uuid, at, key_id, payload,"
        " signature, previous) VALUES (?, 'ticket', 2, ?, ?, ?, ?, ?, ?, ?)",
        row["register_code"],
        row["kind"],
        row["subject_uuid"],
        row["at"],
        row["key_id"],
        row["payload"],
        row["signature"],
        row["signature"],
    )
    assert ("ticket", 2, "altered") in _problems(app)


def test_a_chain_recomputed_with_another_key_is_refused(app, kiosk, till):
    sell(kiosk, till, ["Croissant"])
    other = nf525.new_private_key()
    row = till.sql("SELECT * FROM signed_record WHERE chain = 'ticket'").mappings().one()
    record = {
        "register": row["register_code"],
        "chain": "ticket",
        "number": 1,
        "kind": row["kind"],
        "at": row["at"],
        "uuid": row["subject_uuid"],
        "key_id": nf525.key_id(other),
        "fields": nf525._signed(row["payload"].encode()),
        "previous": "",
    }
    payload = nf525.canonical(record)
    _edit(
        app,
        "UPDATE signed_record SET key_id = ?, payload = ?, signature = ? WHERE id = ?",
        record["key_id"],
        payload.decode(),
        nf525.sign(other, payload),
        row["id"],
    )
    assert _problems(app) == [("ticket", 1, "wrong_key")]
