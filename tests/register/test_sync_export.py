"""Exporter: sending closed days to head office, exactly once (docs/sync.md)."""

import gzip
import json

import pytest

from app.extensions import db
from app.models import ExportBatch, RegisterDay
from app.services.errors import AuthenticationFailed, RightMissing, StateForbids
from app.services.lifecycle import open_register, register_state
from app.sync.client import HeadOfficeClient, HeadOfficeConflict
from app.sync.exporting import ExportPending, export_days, retry_pending_exports
from app.sync.importing import import_register
from tests.support.helpers import (
    DEMO_HEADOFFICE_TOKEN,
    close_counted,
    dump_database,
    head_office_answers,
    head_office_down,
    journal,
)


@pytest.fixture
def closed_day(app, ctx):
    """CAISSE01 imported, opened with 150,00 €, closed: state D with one day to export."""
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    open_register(db.session, "RESP01", "1234", 15000)
    return close_counted(db.session)


@pytest.fixture
def export(app):
    def run(person="RESP01", password="1234"):
        with HeadOfficeClient.from_config(app.config) as client:
            return export_days(db.session, client, person, password)

    return run


def head_office_exports(headoffice_app) -> list[dict]:
    client = headoffice_app.test_client()
    auth = {"Authorization": f"Bearer {DEMO_HEADOFFICE_TOKEN}"}
    listing = client.get("/api/v1/exports", headers=auth).get_json()["exports"]
    return [client.get(f"/api/v1/exports/{e['batch_id']}", headers=auth).get_json() for e in listing]


def test_export_sends_the_day_and_returns_to_state_a(closed_day, export, headoffice_app):
    batches = export()
    assert [b.day_count for b in batches] == [1]
    assert register_state(db.session).code == "A"
    received = head_office_exports(headoffice_app)
    assert len(received) == 1
    days = received[0]["batch"]["days"]
    assert [d["uuid"] for d in days] == [closed_day.uuid]
    assert days[0]["opening_float_cents"] == 15000
    assert days[0]["opened_by"] == {"code": "RESP01", "name": "Responsable1 De Caisse"}
    assert journal("export", "ok")


def test_several_days_go_in_one_batch(closed_day, export, headoffice_app):
    open_register(db.session, "RESP01", "1234", 2000)
    close_counted(db.session)
    export()
    received = head_office_exports(headoffice_app)
    assert [d["number"] for d in received[0]["batch"]["days"]] == [1, 2]


def test_head_office_down_keeps_the_batch_pending(closed_day, export, headoffice, headoffice_app, app):
    headoffice.override = head_office_down
    with pytest.raises(ExportPending, match="injoignable.*renvoyé automatiquement"):
        export()
    state = register_state(db.session)
    assert state.code == "D"
    [batch] = state.pending_batches
    assert batch.attempts == 1 and "injoignable" in batch.last_error
    assert head_office_exports(headoffice_app) == []

    # Head office is back: the scheduler's retry sends the very same batch.
    headoffice.override = None
    retry_pending_exports(db.session, HeadOfficeClient.from_config(app.config), now=batch.next_attempt_at)
    assert register_state(db.session).code == "A"
    received = head_office_exports(headoffice_app)
    assert [r["batch_id"] for r in received] == [batch.id]


def test_retry_waits_for_its_back_off(closed_day, export, headoffice, app):
    headoffice.override = head_office_down
    with pytest.raises(ExportPending):
        export()
    batch = db.session.scalars(db.select(ExportBatch)).one()
    first_due = batch.next_attempt_at
    client = HeadOfficeClient.from_config(app.config)
    # Not yet due: nothing is sent, nothing counted.
    assert retry_pending_exports(db.session, client, now=batch.last_attempt_at) == []
    assert db.session.get(ExportBatch, batch.id).attempts == 1
    retry_pending_exports(db.session, client, now=first_due)
    batch = db.session.get(ExportBatch, batch.id)
    assert batch.attempts == 2
    # 30 s, then 60 s: the delay doubles.
    assert (batch.next_attempt_at - batch.last_attempt_at).total_seconds() == 60


def test_ack_lost_then_retry_gives_one_batch_at_head_office(closed_day, export, headoffice, headoffice_app):
    """Head office stored the batch but its answer never came back (time-out on the way)."""
    real = headoffice.real

    def stores_then_times_out(request):
        real.handle_request(request).read()
        import httpx

        raise httpx.ReadTimeout("answer lost", request=request)

    headoffice.override = stores_then_times_out
    with pytest.raises(ExportPending):
        export()
    assert len(head_office_exports(headoffice_app)) == 1
    headoffice.override = None
    batches = export()  # the manager tries again by hand
    assert len(batches) == 1
    assert len(head_office_exports(headoffice_app)) == 1
    assert register_state(db.session).code == "A"


def test_export_refused_while_open(app, ctx, export):
    with HeadOfficeClient.from_config(app.config) as client:
        import_register(db.session, client, "CAISSE01", "VEND01", "1111")
    open_register(db.session, "RESP01", "1234", 0)
    before = dump_database()
    with pytest.raises(StateForbids, match="la caisse est ouverte"):
        export()
    assert dump_database() == before


def test_export_refused_when_nothing_to_send(app, ctx, export):
    before = dump_database()
    with pytest.raises(StateForbids, match="Aucune journée"):
        export()
    assert dump_database() == before


def test_export_refused_on_wrong_password(closed_day, export):
    before = dump_database()
    with pytest.raises(AuthenticationFailed, match="Mot de passe incorrect"):
        export(password="wrong")
    assert dump_database() == before
    assert journal("export", "refused")


def test_export_refused_without_the_right(closed_day, export):
    before = dump_database()
    with pytest.raises(RightMissing, match="n'a pas le droit"):
        export(person="VEND02", password="2222")
    assert dump_database() == before


def test_conflict_stops_automatic_retries(closed_day, export, headoffice):
    headoffice.override = head_office_answers(
        409, json.dumps({"error": "conflict", "message": "other body"}).encode()
    )
    with pytest.raises(HeadOfficeConflict, match="409"):
        export()
    batch = db.session.scalars(db.select(ExportBatch)).one()
    assert batch.status == "conflict"
    assert register_state(db.session).code == "D"


def test_batch_body_is_stored_before_sending(closed_day, export, headoffice):
    seen = {}

    def inspect(request):
        # At the moment of sending, the batch is already committed with this exact body.
        batch = db.session.scalars(db.select(ExportBatch)).one()
        seen["stored"] = batch.body
        seen["sent"] = gzip.decompress(request.content).decode()  # sent compressed (1.2.0)
        return headoffice.real.handle_request(request)

    headoffice.override = inspect
    export()
    assert seen["stored"] == seen["sent"]
    day = db.session.get(RegisterDay, closed_day.id)
    assert day.exported_at is not None
