"""One register, two boxes (docs/integrity.md). A second box selling for a register another
box already exports for is refused by head office (409 unknown_key: its key is not the
register's and its chain does not continue). A replacement box — a fresh database and its
own key — imports the register and continues: ticket n+1, its chain starting after head
office's head, and its first batch accepted as a recorded key change."""

import shutil

import httpx
import pytest

from app import create_app
from app.extensions import db
from app.integrity.chain import append
from app.integrity.keys import box_key
from app.models import utcnow
from app.services.integrity import verify_chains
from tests.support.anchor import export, ho_records, ho_register, ho_sql, import_register, in_app, sell_a_day
from tests.support.helpers import close_counted, register_config
from tests.support.screens import Kiosk
from tests.support.till import Till, open_till, sell


@pytest.fixture
def other_box(tmp_path, migrated_template, headoffice, monkeypatch):
    """Another box on the same head office: its own database and instance folder (its key)."""
    path = tmp_path / "other" / "comptoir.sqlite"
    path.parent.mkdir()
    shutil.copy(migrated_template, path)
    monkeypatch.setenv("COMPTOIR_INSTANCE", str(path.parent))
    other = create_app(register_config(path, HEADOFFICE_TRANSPORT=headoffice))
    monkeypatch.delenv("COMPTOIR_INSTANCE")
    yield other
    with other.app_context():
        db.engine.dispose()


def _key_id(app):
    return in_app(app, lambda: box_key().key_id)


def test_a_second_box_exporting_for_the_register_is_refused(app, client, till, other_box, headoffice_app):
    assert _key_id(app) != _key_id(other_box)
    other_client, other_till = other_box.test_client(), Till(other_box)
    import_register(client)
    import_register(other_client)  # both before any export: neither has anything to continue
    sell_a_day(app, client, till, ["Baguette tradition"])
    sell_a_day(other_box, other_client, other_till, ["Croissant"])
    assert any("Export terminé" in m for m in export(client).messages)
    held = ho_records(headoffice_app)

    page = export(other_client)

    assert any("unknown_key" in m for m in page.messages), page.messages
    assert ho_records(headoffice_app) == held
    assert ho_register(headoffice_app)["integrity"]["reason"] == "unknown_key"
    alert = Kiosk(other_client).open("/")
    assert any("Alerte d'intégrité" in m for m in alert.messages), alert.messages
    assert "une autre caisse exporte déjà sous ce nom" in alert.body  # what it means, folded
    assert not any("Alerte" in m for m in Kiosk(client).open("/").messages)  # the first box is fine


def _sign_a_period(app, perpetual, absolute):
    """A period record as the closing signs it (the period chain's fields carry the
    perpetual grand totals, docs/integrity.md)."""

    def work():
        append(
            db.session,
            "CAISSE01",
            "period",
            "day",
            {"perpetual_cents": perpetual, "perpetual_abs_cents": absolute},
            utcnow(),
        )
        db.session.commit()

    in_app(app, work)


def test_a_replacement_box_continues_the_numbers_and_the_chain(app, client, till, other_box, headoffice_app):
    tickets = sell_a_day(app, client, till, ["Baguette tradition", "Croissant"])
    _sign_a_period(app, 1_234_56, 1_500_00)
    export(client)
    # The day's Z is signed at the closing; the period signed above comes after it.
    period_number, period_signature = [(n, s) for c, n, s in ho_records(headoffice_app) if c == "period"][-1]
    [(_, head_number, head_signature)] = [r for r in ho_records(headoffice_app) if r[0] == "ticket"][-1:]
    old_key = _key_id(app)

    replacement, replacement_till = other_box.test_client(), Till(other_box)
    kiosk = open_till(other_box, replacement)  # Importer, Ouvrir, a seller connected
    starts = {
        row[0]: tuple(row[1:])
        for row in replacement_till.sql(
            "SELECT chain, number, signature, source, perpetual_cents, perpetual_abs_cents FROM chain_start"
        ).all()
    }
    assert starts["period"] == (period_number, period_signature, "headoffice", 1_234_56, 1_500_00)
    assert starts["ticket"] == (head_number, head_signature, "headoffice", 1_234_56, 1_500_00)
    assert replacement_till.sql("SELECT key_id, source FROM signing_key").all() == [(old_key, "headoffice")]
    assert (
        replacement_till.sql("SELECT last_value FROM sequence WHERE name = 'ticket'").scalar()
        == tickets[-1].number
    )

    ticket = sell(kiosk, replacement_till, ["Baguette tradition"])
    assert ticket.number == tickets[-1].number + 1
    row = replacement_till.sql("SELECT number, previous FROM signed_record WHERE chain = 'ticket'").one()
    assert tuple(row) == (head_number + 1, head_signature)
    assert in_app(other_box, lambda: verify_chains(db.session).sound)
    kiosk.post("/vente/disconnect")
    in_app(other_box, lambda: close_counted(db.session))

    page = export(replacement)

    assert any("Export terminé" in m for m in page.messages), page.messages
    assert [n for c, n, _ in ho_records(headoffice_app) if c == "ticket"] == [1, 2, 3]
    events = [
        tuple(e) for e in ho_sql(headoffice_app, "SELECT kind, key_id FROM integrity_event ORDER BY id")
    ]
    assert events == [("key_registered", old_key), ("key_changed", _key_id(other_box))]
    assert replacement_till.sql("SELECT number FROM chain_ack WHERE chain = 'ticket'").scalar() == 3
    journal = replacement_till.sql(
        "SELECT details FROM journal_entry WHERE action = 'chains_continued'"
    ).scalar()
    assert '"ticket_number": 2' in journal


def _snapshot_with(headoffice, change):
    """Head office's snapshot, changed on its way (a bug or a tampered answer)."""

    def handler(request: httpx.Request):
        response = headoffice.real.handle_request(request)
        response.read()
        if not request.url.path.endswith("/snapshot"):
            return response
        data = response.json()
        change(data["integrity"])
        return httpx.Response(200, json=data)

    return handler


def test_a_snapshot_with_a_bad_integrity_part_is_refused_whole(app, client, till, headoffice, headoffice_app):
    sell_a_day(app, client, till, ["Baguette tradition"])
    export(client)
    before = till.dump()
    headoffice.override = _snapshot_with(headoffice, lambda part: part["keys"][0].update(key_id="0" * 16))

    page = import_register(client)

    assert any("clé publique 0000000000000000 invalide" in m for m in page.messages), page.messages
    assert till.dump() == before
    assert till.sql("SELECT count(*) FROM chain_start").scalar() == 0
