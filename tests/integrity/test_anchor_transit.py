"""Head office refuses what does not continue (docs/integrity.md), seen from the box: a batch
altered in transit, and a tail of signed records deleted on the box after an export — with
or without the acknowledged head rolled back too. Each refusal is named, stores nothing at
head office, flags the register and raises the box's integrity alert."""

import gzip
import json
import sqlite3

import httpx
import pytest

from tests.support.anchor import export, ho_batches, ho_records, ho_register, sell_a_day
from tests.support.screens import Database


def _altering_amounts(headoffice):
    """A man in the middle: the first ticket's payment and total lose 1,00 €."""

    def handler(request: httpx.Request):
        batch = json.loads(gzip.decompress(request.content))
        ticket = batch["days"][0]["tickets"][0]
        ticket["payments"][0]["amount_cents"] -= 100
        ticket["total_cents"] -= 100
        headers = {k: v for k, v in request.headers.items() if k.lower() != "content-length"}
        altered = httpx.Request(
            request.method, request.url, headers=headers, content=gzip.compress(json.dumps(batch).encode())
        )
        response = headoffice.real.handle_request(altered)
        response.read()
        return response

    return handler


def test_a_ticket_amount_altered_in_transit_is_refused(app, client, till, headoffice, headoffice_app):
    box = Database(app)
    sell_a_day(app, client, till, ["Baguette tradition"])
    export(client)
    sell_a_day(app, client, till, ["Croissant", "Baguette tradition"])
    held, batches = ho_records(headoffice_app), ho_batches(headoffice_app)
    headoffice.override = _altering_amounts(headoffice)

    page = export(client)

    assert any("document_mismatch" in m for m in page.messages), page.messages
    assert ho_records(headoffice_app) == held and ho_batches(headoffice_app) == batches
    flag = ho_register(headoffice_app)["integrity"]
    assert flag["reason"] == "document_mismatch" and "ticket n°2" in flag["detail"].lower()
    assert box.journal("integrity_alert", "failed")
    assert "un montant a été modifié" in client.get("/").get_data(as_text=True)


def _edit(app, *statements):
    """What an auditor does: the box's SQLite file edited directly, triggers dropped first."""
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        for statement in statements:
            connection.execute(statement)


@pytest.mark.parametrize("ack_rolled_back, reason", [(False, "chain_rewound"), (True, "chain_fork")])
def test_a_tail_deleted_on_the_box_after_an_export_is_named(
    app, client, till, headoffice_app, ack_rolled_back, reason
):
    sell_a_day(app, client, till, ["Baguette tradition", "Croissant", "Croissant"])
    export(client)
    held = ho_records(headoffice_app)
    assert [n for c, n, _ in held if c == "ticket"] == [1, 2, 3]
    _edit(
        app,
        "DELETE FROM signed_record WHERE chain = 'ticket' AND number >= 2",
        *(["UPDATE chain_ack SET number = 1, signature = '%s'" % held[0][2]] if ack_rolled_back else []),
    )

    sell_a_day(app, client, till, ["Baguette tradition"])  # signed as n°2 again
    page = export(client)

    assert any(reason in m for m in page.messages), page.messages
    assert ho_records(headoffice_app) == held
    assert ho_register(headoffice_app)["integrity"]["reason"] == reason
