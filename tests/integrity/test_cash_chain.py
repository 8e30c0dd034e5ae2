"""The cash chain (docs/integrity.md « Cash documents »): cash-ins, cash-outs, the withdrawal
and the counts at closing are signed as they are written, the database refuses to change
them afterwards, and the verifier names an edited amount or a deleted record."""

from datetime import timedelta

import pytest

from app.models.base import set_clock
from tests.support.screens import Kiosk
from tests.support.signed_days import close, edit, problems, records
from tests.support.till import refused


@pytest.fixture
def manager(app):
    return Kiosk(app.test_client())


def movement(manager, kind, amount, reason, htmx=False):
    manager.open("/caisse/mouvements")
    return manager.post(
        "/caisse/mouvements",
        htmx=htmx,
        kind=kind,
        amount=amount,
        reason=reason,
        person="RESP01",
        password="1234",
    )


def test_movements_and_counts_are_signed_as_written(app, kiosk, manager, till):
    movement(manager, "in", "10", "Monnaie de la banque")
    movement(manager, "out", "5", "Timbres")
    close(app, kiosk)
    chain = records(till, "cash")
    uuids = till.sql("SELECT uuid FROM cash_movement ORDER BY number").scalars().all()
    opening, count = till.sql("SELECT uuid FROM cash_count ORDER BY id").scalars().all()
    assert [(n, kind, subject) for n, kind, subject, _f in chain] == [
        (1, "count", opening),  # the float, counted at opening (the demo registers count)
        (2, "movement", uuids[0]),
        (3, "movement", uuids[1]),
        (4, "count", count),
    ]
    assert [(f["kind"], f["amount_cents"], f["reason"], f["by"]) for *_, f in chain[1:3]] == [
        ("in", 1000, "Monnaie de la banque", "RESP01"),
        ("out", 500, "Timbres", "RESP01"),
    ]
    assert (chain[0][3]["moment"], chain[0][3]["counted_cents"]) == ("opening", 15000)
    assert (chain[3][3]["moment"], chain[3][3]["counted_cents"]) == ("closing", 15500)
    assert problems(app) == []


@pytest.mark.parametrize(
    "statement",
    [
        "UPDATE cash_movement SET amount_cents = 1",
        "DELETE FROM cash_movement",
        "UPDATE cash_count SET counted_cents = 1",
        "DELETE FROM cash_count",
    ],
)
def test_a_cash_document_cannot_change_once_written(app, kiosk, manager, till, statement):
    movement(manager, "in", "10", "Monnaie")
    close(app, kiosk)
    with pytest.raises(Exception, match="a cash document cannot change"):
        till.sql(statement)


def test_an_edited_movement_amount_is_named(app, kiosk, manager, till):
    movement(manager, "in", "10", "Monnaie")
    movement(manager, "out", "5", "Timbres")
    edit(app, "UPDATE cash_movement SET amount_cents = 50 WHERE number = 2")
    [(chain, number, what, detail)] = problems(app)
    # Record 1 is the opening count.
    assert (chain, number, what) == ("cash", 3, "altered") and "amount_cents" in detail


def test_a_deleted_cash_record_is_named(app, kiosk, manager, till):
    movement(manager, "in", "10", "Monnaie")
    movement(manager, "out", "5", "Timbres")
    edit(app, "DELETE FROM signed_record WHERE chain = 'cash' AND number = 3")  # 1: the opening count
    assert ("cash", None, "missing", "cash movement n°2 has no signed record") in problems(app)


def test_a_clock_set_back_cannot_record_a_movement(app, kiosk, manager, till):
    movement(manager, "in", "10", "Monnaie")
    set_clock(timedelta(hours=-1))
    try:
        refused(
            manager,
            till,
            lambda: movement(manager, "out", "5", "Timbres", htmx=True),
            409,
            "L'horloge de la caisse indique une heure antérieure au dernier document signé",
        )
    finally:
        set_clock()
    assert len(records(till, "cash")) == 2  # the opening count and the first movement
