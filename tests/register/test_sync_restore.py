"""A box restored from a backup taken before its last export, end to end:
screens (Exporter, Importer, the opening page), the backup and sync commands, and the
reference head office.

- The same days again: head office acknowledges them as already held; the box goes back to
  A and imports.
- A day closed again with other content: Exporter says it is blocked (never « Export
  terminé »), the opening page says what to do, and the technician's set-aside keeps the
  batch, journals it and lets the box import again."""

import json
from pathlib import Path

import pytest

from app.box import backup as backups
from app.extensions import db
from app.models import ExportBatch, RegisterDay
from app.services.cards.documents import ManualRefund, refund_card_manually
from app.services.lifecycle import open_register
from tests.support.helpers import DEMO_HEADOFFICE_TOKEN, close_counted
from tests.support.screens import Database, Kiosk


@pytest.fixture(autouse=True)
def _backups_beside_the_database(app, db_path):
    app.config["BACKUP_DIR"] = str(db_path.parent / "backups")


def _in_app(app, work):
    with app.app_context():
        try:
            return work()
        finally:
            db.session.remove()


def _backup(app, runner) -> str:
    result = runner.invoke(args=["backup", "create"])
    assert result.exit_code == 0, result.output
    return backups.list_backups(Path(app.config["BACKUP_DIR"]))[0].name


def _restore(app, runner, name) -> None:
    with app.app_context():
        db.engine.dispose()  # the box's services are stopped for a restore
    result = runner.invoke(args=["backup", "restore", name, "--yes"])
    assert result.exit_code == 0, result.output


def _held_at_head_office(headoffice_app) -> dict[str, list[str]]:
    """batch id → its days' uuids, as head office's tools pull them."""
    client = headoffice_app.test_client()
    auth = {"Authorization": f"Bearer {DEMO_HEADOFFICE_TOKEN}"}
    return {
        e["batch_id"]: e["day_uuids"]
        for e in client.get("/api/v1/exports", headers=auth).get_json()["exports"]
    }


def _import(kiosk):
    kiosk.open("/")
    return kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")


def _export(kiosk):
    kiosk.open("/")
    return kiosk.post("/sync/export", person="RESP01", password="1234")


def _open(app):
    _in_app(app, lambda: open_register(db.session, "RESP01", "1234", 15000).uuid)


def _close(app):
    return _in_app(app, lambda: close_counted(db.session).uuid)


def test_restored_box_resends_the_same_day_and_head_office_acknowledges_it(
    app, client, runner, headoffice_app
):
    kiosk, box = Kiosk(client), Database(app)
    _import(kiosk)
    _open(app)
    # A card document makes the day carry `card_transactions` (1.5.0): sent again, the same text.
    _in_app(app, lambda: refund_card_manually(db.session, "RESP01", "1234", ManualRefund(200, "CB", "Panne")))
    day = _close(app)
    taken = _backup(app, runner)  # closed, not exported yet
    assert "Export terminé" in " ".join(_export(kiosk).messages)
    assert box.state() == "A"

    _restore(app, runner, taken)
    assert box.state() == "D"

    page = _export(kiosk)
    assert any("Export terminé" in m for m in page.messages), page.messages
    assert box.state() == "A"
    # Held once at head office, under the first batch.
    assert list(_held_at_head_office(headoffice_app).values()) == [[day]]
    details = _in_app(
        app,
        lambda: db.session.execute(
            db.text(
                "SELECT details FROM journal_entry WHERE action = 'export' AND outcome = 'ok' "
                "ORDER BY id DESC LIMIT 1"
            )
        ).scalar(),
    )
    assert day in json.loads(details)["already_held"][0]["day_uuid"]
    assert "Import terminé" in " ".join(_import(kiosk).messages)
    assert box.state() == "B"


def test_restored_box_with_a_day_closed_again_is_blocked_visibly_then_set_aside(
    app, client, runner, headoffice_app, headoffice
):
    kiosk, box = Kiosk(client), Database(app)
    _import(kiosk)
    _open(app)
    taken = _backup(app, runner)  # the day still open
    first_close = _close(app)
    _export(kiosk)
    assert list(_held_at_head_office(headoffice_app).values()) == [[first_close]]

    _restore(app, runner, taken)
    assert box.state() == "C"
    assert _close(app) == first_close  # the same day, closed again: other content
    _open(app)
    second = _close(app)  # and a new day, in the same batch

    page = _export(kiosk)
    assert not any("Export terminé" in m for m in page.messages), page.messages
    assert any("Export bloqué" in m for m in page.messages), page.messages
    [batch_id] = _in_app(
        app,
        lambda: [
            b.id for b in db.session.scalars(db.select(ExportBatch).where(ExportBatch.status == "conflict"))
        ],
    )
    # The batch's signed records continue the restored box's chains, not what head office
    # holds (docs/integrity.md): the whole batch is refused, head office keeps what it had.
    held = _held_at_head_office(headoffice_app)
    assert sorted(held.values()) == [[first_close]]
    assert sorted(
        _in_app(
            app,
            lambda: db.session.scalars(
                db.select(RegisterDay.uuid).where(RegisterDay.export_batch_id == batch_id)
            ).all(),
        )
    ) == sorted([first_close, second])

    # Exporter again: refused before anything is sent — never a false success.
    puts = len([r for r, _ in headoffice.exchanges if r.method == "PUT"])
    before = box.dump()
    page = _export(kiosk)
    assert any("Export bloqué" in m for m in page.messages), page.messages
    assert not any("terminé" in m for m in page.messages)
    assert len([r for r, _ in headoffice.exchanges if r.method == "PUT"]) == puts
    assert box.dump() == before

    # The opening page says what happened and what to do: a box restored from a backup is an
    # integrity alert (docs/integrity.md), with the technician's way out.
    page = kiosk.open("/")
    assert any("Alerte d'intégrité" in m for m in page.messages), page.messages
    assert f"sync set-aside {batch_id}" in page.body
    page = kiosk.post("/lang", lang="en", next="/")
    assert any("Integrity alert" in m for m in page.messages), page.messages
    kiosk.post("/lang", lang="fr", next="/")
    status = runner.invoke(args=["sync", "status"]).output
    assert f"Lot en conflit {batch_id}" in status and "set-aside" in status
    # Importer is refused, with the same way out rather than « Exportez d'abord ».
    page = _import(kiosk)
    assert any("Export bloqué" in m for m in page.messages), page.messages
    assert box.state() == "D"

    # The technician's way out: the batch is set aside, kept whole, journaled.
    result = runner.invoke(args=["sync", "set-aside", batch_id, "--reason", "restauration du 27/11"])
    assert result.exit_code == 0, result.output
    assert "mis de côté" in result.output and "État : A" in result.output
    kept = _in_app(
        app,
        lambda: (lambda b: (b.status, [d["uuid"] for d in json.loads(b.body)["days"]]))(
            db.session.get(ExportBatch, batch_id)
        ),
    )
    assert kept == ("set_aside", [first_close, second])  # the body as it was sent
    assert _in_app(
        app, lambda: db.session.scalars(db.select(RegisterDay.uuid).order_by(RegisterDay.id)).all()
    ) == [first_close, second]
    [entry] = box.journal("export_set_aside", "ok")
    assert entry.reason == "restauration du 27/11"
    shown = runner.invoke(args=["sync", "batch", batch_id])
    assert json.loads(shown.output)["batch_id"] == batch_id

    # Nothing is blocked any more; head office still holds its own copy only. The integrity
    # alert stays until head office accepts this register's chains again.
    page = kiosk.open("/")
    assert any("Alerte d'intégrité" in m for m in page.messages), page.messages
    assert "Import terminé" in " ".join(_import(kiosk).messages)
    assert box.state() == "B"
    assert sorted(_held_at_head_office(headoffice_app).values()) == [[first_close]]


def test_set_aside_refuses_a_batch_not_in_conflict_and_changes_nothing(app, client, runner):
    kiosk, box = Kiosk(client), Database(app)
    _import(kiosk)
    before = box.dump()
    result = runner.invoke(args=["sync", "set-aside", "no-such-batch", "--reason", "x"])
    assert result.exit_code == 1 and "Aucun lot" in result.output
    assert box.dump() == before
