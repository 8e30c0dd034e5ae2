"""No write transaction across a network call (docs/sync.md).

Every transaction on the box takes SQLite's write lock (BEGIN IMMEDIATE). Head office is held
mid-answer here, for as long as the test likes, while /healthz and another screen are asked:
they must answer at once — not after the busy time-out, not with a 503. Synchronised with
events, never with sleeps."""

import threading

import pytest

from app import create_app
from app.extensions import db
from app.services.lifecycle import open_register
from app.sync.client import HeadOfficeClient, TransactionAcrossNetwork
from app.sync.exporting import export_days, prepare_batch
from app.sync.importing import import_register
from app.sync.jobs import planned_import_job, retry_exports_job
from tests.support.helpers import close_counted, register_config


@pytest.fixture
def app(db_path, headoffice):
    # A short busy time-out: a screen stuck behind a held lock fails in 0.3 s, not 5 s.
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice, SQLITE_BUSY_TIMEOUT_MS=300))
    yield app
    with app.app_context():
        db.engine.dispose()


class HeldHeadOffice:
    """Head office that holds the first request whose path contains `path_part` until the
    test releases it; every other request (and that one, once released) is answered."""

    def __init__(self, transport, path_part):
        self.transport, self.path_part = transport, path_part
        self.entered, self.release = threading.Event(), threading.Event()

    def __call__(self, request):
        if self.path_part in request.url.path and not self.release.is_set():
            self.entered.set()
            assert self.release.wait(30), "the test never released head office"
        response = self.transport.real.handle_request(request)
        response.read()
        return response


def while_head_office_holds(app, headoffice, path_part, action):
    """Run action() in its own thread (and app context) while head office holds its call;
    meanwhile the box must answer /healthz and the opening screen at once."""
    held = HeldHeadOffice(headoffice, path_part)
    headoffice.override = held
    outcome = {}

    def work():
        with app.app_context():
            try:
                outcome["value"] = action()
            except BaseException as error:  # every kind, reported by the test
                outcome["error"] = error
            finally:
                db.session.remove()

    thread = threading.Thread(target=work, daemon=True)
    thread.start()
    try:
        assert held.entered.wait(30), f"head office never saw {path_part}: {outcome}"
        other = app.test_client()
        health = other.get("/healthz")
        assert health.status_code == 200, health.get_json()
        assert health.get_json()["status"] == "ok"
        assert other.get("/people").status_code == 200
    finally:
        held.release.set()
        thread.join(30)
    headoffice.override = None
    assert "error" not in outcome, outcome.get("error")
    return outcome.get("value")


def _import(app):
    with HeadOfficeClient.from_config(app.config) as client:
        return import_register(db.session, client, "CAISSE01", "VEND01", "1111")


def _closed_day(app):
    with app.app_context():
        _import(app)
        open_register(db.session, "RESP01", "1234", 15000)
        close_counted(db.session)
        db.session.remove()


def test_opening_page_does_not_hold_the_lock_while_head_office_lists_registers(app, headoffice):
    # A new box: no register known yet, so the opening page asks head office.
    response = while_head_office_holds(
        app, headoffice, "/api/v1/registers", lambda: app.test_client().get("/")
    )
    assert response.status_code == 200


@pytest.mark.parametrize("path_part", ["/api/v1/registers", "/snapshot"])
def test_import_does_not_hold_the_lock_while_head_office_answers(app, headoffice, path_part):
    status = while_head_office_holds(app, headoffice, path_part, lambda: _import(app).status)
    assert status == "done"


def test_export_does_not_hold_the_lock_while_head_office_answers(app, headoffice):
    _closed_day(app)

    def export():
        with HeadOfficeClient.from_config(app.config) as client:
            return [b.id for b in export_days(db.session, client, "RESP01", "1234")]

    assert len(while_head_office_holds(app, headoffice, "/exports/", export)) == 1


def test_scheduler_retry_does_not_hold_the_lock_while_head_office_answers(app, headoffice):
    _closed_day(app)
    with app.app_context():
        from app.models import Staff

        prepare_batch(db.session, db.session.get(Staff, "RESP01"))
        db.session.remove()
    assert while_head_office_holds(app, headoffice, "/exports/", lambda: retry_exports_job(app)) == 1


def test_planned_import_does_not_hold_the_lock_while_head_office_answers(
    app, headoffice, headoffice_app, clock
):
    from tests.support.schedule import paris, set_schedule

    set_schedule(headoffice_app, planned_import="06:30")
    clock.at(paris("2026-12-01 05:00"))
    with app.app_context():
        _import(app)
        db.session.remove()
    clock.at(paris("2026-12-01 06:30:20"))
    assert while_head_office_holds(app, headoffice, "/snapshot", lambda: planned_import_job(app)) == "done"


def test_calling_head_office_inside_a_transaction_is_refused_before_sending(app, ctx, headoffice):
    """The mechanism: whatever new caller comes, the client refuses to wait on the network
    with the write lock held, and nothing reaches head office."""
    db.session.execute(db.text("SELECT 1"))
    with HeadOfficeClient.from_config(app.config) as client:
        with pytest.raises(TransactionAcrossNetwork):
            client.list_registers()
    assert headoffice.exchanges == []
    db.session.rollback()
    with HeadOfficeClient.from_config(app.config) as client:
        assert client.list_registers()["registers"]
