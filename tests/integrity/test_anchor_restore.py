"""Head office is the anchor (docs/integrity.md): a box restored from yesterday's backup that
sells on is refused by head office (409 chain_fork), the register is flagged there, and the
box shows the integrity alert at the next sync — in French and in English — and journals it."""

import json
import re

import pytest

from app.extensions import db
from app.models import ExportBatch
from tests.support.anchor import (
    backup,
    export,
    ho_batches,
    ho_records,
    ho_register,
    import_register,
    in_app,
    restore,
    sell_a_day,
)
from tests.support.screens import Database, Kiosk


@pytest.fixture(autouse=True)
def _backups_beside_the_database(app, db_path):
    app.config["BACKUP_DIR"] = str(db_path.parent / "backups")


def test_the_export_carries_the_chain_and_head_office_holds_it(app, client, till, headoffice_app):
    tickets = sell_a_day(app, client, till, ["Baguette tradition", "Croissant"])
    assert any("Export terminé" in m for m in export(client).messages)
    signatures = [
        r.signature
        for r in till.sql("SELECT signature FROM signed_record WHERE chain = 'ticket' ORDER BY number").all()
    ]
    assert [r for r in ho_records(headoffice_app) if r[0] == "ticket"] == [
        ("ticket", 1, signatures[0]),
        ("ticket", 2, signatures[1]),
    ]
    assert till.sql("SELECT chain, number, signature FROM chain_ack WHERE chain = 'ticket'").all() == [
        ("ticket", 2, signatures[1])
    ]
    assert ho_register(headoffice_app)["integrity"] == {"state": "ok"}
    # The next batch carries only what follows what head office acknowledged.
    sell_a_day(app, client, till, ["Croissant"])
    export(client)
    [body] = till.sql("SELECT body FROM export_batch ORDER BY created_at DESC LIMIT 1").scalars().all()
    batch = json.loads(body)
    sent = batch["integrity"]["chains"]["ticket"]
    assert [json.loads(r["payload"])["number"] for r in sent["records"]] == [3] and sent["head"][
        "number"
    ] == 3
    assert len(tickets) == 2 and len([r for r in ho_records(headoffice_app) if r[0] == "ticket"]) == 3
    # Offline: from the first export's acknowledgement to the next import, then to this batch.
    acknowledged = till.sql("SELECT min(acknowledged_at) FROM export_batch").scalar()  # the first export
    imported = till.sql(
        "SELECT max(finished_at) FROM sync_run WHERE kind = 'import' AND status = 'done'"
    ).scalar()
    periods = batch["integrity"]["offline_periods"]
    assert [(p["from"][:19], p["to"][:19]) for p in periods] == [
        (_iso(acknowledged), _iso(imported)),
        (_iso(imported), batch["created_at"][:19]),
    ]


def _iso(sql_time: str) -> str:
    return sql_time[:19].replace(" ", "T")


def test_a_box_restored_from_yesterdays_backup_that_sells_on_is_refused_and_alerted(
    app, client, runner, till, headoffice_app
):
    box = Database(app)
    sell_a_day(app, client, till, ["Baguette tradition"])
    export(client)
    yesterday = backup(app, runner)  # last night's backup, after the export
    sell_a_day(app, client, till, ["Croissant", "Croissant"])
    export(client)
    held, batches = ho_records(headoffice_app), ho_batches(headoffice_app)
    assert [n for c, n, _ in held if c == "ticket"] == [1, 2, 3]

    restore(app, runner, yesterday)
    sell_a_day(app, client, till, ["Baguette tradition"])  # ticket n°2 again, signed anew
    page = export(client)

    assert not any("Export terminé" in m for m in page.messages), page.messages
    assert any("chain_fork" in m for m in page.messages), page.messages
    # Head office stored nothing and flagged the register, saying why.
    assert ho_records(headoffice_app) == held and ho_batches(headoffice_app) == batches
    flag = ho_register(headoffice_app)["integrity"]
    assert (
        flag["state"] == "flagged"
        and flag["reason"] == "chain_fork"
        and re.search(r"(cash n°3|ticket n°2): ", flag["detail"])
    )  # the first chain that forks: the day's opening count, or its first ticket
    # The box: the batch is kept in conflict, the alert is journaled and shown.
    assert (
        in_app(
            app,
            lambda: [
                b.status for b in db.session.scalars(db.select(ExportBatch).order_by(ExportBatch.created_at))
            ],
        )[-1]
        == "conflict"
    )
    [entry] = box.journal("integrity_alert", "failed")
    assert "chain_fork" in entry.reason
    kiosk = Kiosk(client)
    page = kiosk.open("/")
    assert any("Alerte d'intégrité" in m for m in page.messages), page.messages
    assert "ancienne sauvegarde" in page.body and "prévenez le responsable" in page.body
    assert "Alerte intégrité" in page.body  # the status strip, on every screen
    page = kiosk.post("/lang", lang="en", next="/")
    assert any("Integrity alert" in m for m in page.messages), page.messages
    assert "old backup" in page.body and "tell the manager" in page.body.lower()
    kiosk.post("/lang", lang="fr", next="/")
    assert "Alerte d'intégrité (chain_fork" in runner.invoke(args=["sync", "status"]).output


def test_a_batch_whose_days_head_office_already_holds_is_still_acknowledged(
    app, client, runner, till, headoffice_app
):
    """A backup taken before the export, restored: the same records and days again."""
    sell_a_day(app, client, till, ["Baguette tradition"])
    taken = backup(app, runner)
    export(client)
    restore(app, runner, taken)
    page = export(client)
    assert any("Export terminé" in m for m in page.messages), page.messages
    assert ho_register(headoffice_app)["integrity"] == {"state": "ok"}
    assert import_register(client) is not None
