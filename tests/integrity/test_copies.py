"""The copy chain (docs/integrity.md « Copies »): every reprint — a receipt, a Z — is signed
with the original's UUID and number, the copy's number k and who asked; the paper says
DUPLICATA n°k and carries the copy's own signature extract."""

import nf525
from app.devices.render import preview_text
from app.extensions import db
from app.models import PrintJob
from tests.support.signed_days import close, edit, problems, records
from tests.support.till import sell


def printed(app, copy_number, kind="receipt"):
    with app.app_context():
        try:
            job = db.session.query(PrintJob).filter_by(kind=kind, copy_number=copy_number).one()
            return preview_text(job)
        finally:
            db.session.remove()


def reprint(kiosk, document_uuid, person="RESP01", password="1234"):
    return kiosk.post("/imprimante/reimprimer", job=document_uuid, person=person, password=password)


def test_each_reprint_is_a_counted_signed_duplicata(app, kiosk, till):
    ticket = sell(kiosk, till, ["Baguette tradition"])
    reprint(kiosk, ticket.uuid)
    reprint(kiosk, ticket.uuid)
    chain = records(till, "copy")
    assert [(n, kind, subject) for n, kind, subject, _f in chain] == [
        (1, "receipt", ticket.uuid),
        (2, "receipt", ticket.uuid),
    ]
    assert [(f["original_uuid"], f["original_number"], f["copy_number"], f["by"]) for *_, f in chain] == [
        (ticket.uuid, ticket.number, 1, "RESP01"),
        (ticket.uuid, ticket.number, 2, "RESP01"),
    ]
    signatures = (
        till.sql("SELECT signature FROM signed_record WHERE chain = 'copy' ORDER BY number").scalars().all()
    )
    second = printed(app, 2)
    assert second.count("DUPLICATA n°2") == 2 and f"Copie signée {nf525.extract(signatures[1])}" in second
    assert "DUPLICATA" not in printed(app, 0) and "Copie signée" not in printed(app, 0)
    events = [f for _n, kind, _s, f in records(till, "event") if kind == "reprint"]
    assert [(e["code"], e["actor"]) for e in events] == [(81, "RESP01"), (81, "RESP01")]
    assert problems(app) == []


def test_a_refused_reprint_signs_nothing(app, kiosk, till):
    ticket = sell(kiosk, till, ["Baguette tradition"])
    reprint(kiosk, ticket.uuid, password="9999")
    assert records(till, "copy") == []


def test_a_z_reprint_is_a_signed_duplicata_of_the_day(app, client, kiosk, till):
    sell(kiosk, till, ["Croissant"])
    day = close(app, kiosk)
    from tests.support.screens import Kiosk

    manager = Kiosk(client)
    manager.sign_in(f"/journees/{day}")
    manager.open(f"/journees/{day}")
    manager.post(f"/journees/{day}/reimprimer", person="RESP01", password="1234")
    [(number, kind, subject, fields)] = records(till, "copy")
    assert (number, kind, subject, fields["original_number"], fields["copy_number"]) == (
        1,
        "z_report",
        day,
        1,
        1,
    )
    assert "DUPLICATA n°1" in printed(app, 1, "z_report")


def test_an_edited_copy_record_is_named(app, kiosk, till):
    ticket = sell(kiosk, till, ["Baguette tradition"])
    reprint(kiosk, ticket.uuid)
    edit(
        app,
        "UPDATE signed_record SET payload = replace(payload, '\"copy_number\":1', '\"copy_number\":0')"
        " WHERE chain = 'copy'",
    )
    assert [(c, n, w) for c, n, w, _d in problems(app)] == [("copy", 1, "altered")]


def test_a_renumbered_or_removed_copy_is_named(app, kiosk, till):
    ticket = sell(kiosk, till, ["Baguette tradition"])
    reprint(kiosk, ticket.uuid)
    reprint(kiosk, ticket.uuid)
    edit(app, "UPDATE print_job SET kind = 'test' WHERE copy_number = 1")
    edit(app, "DELETE FROM print_job WHERE copy_number = 2")
    assert [(c, n, w, d) for c, n, w, d in problems(app)] == [
        ("copy", 1, "altered", "the document was changed after it was signed: document"),
        ("copy", 2, "altered", "the signed document is no longer there"),
    ]
