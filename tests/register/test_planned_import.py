"""The planned import (docs/sync.md, « Scheduled work »): at the hour head office sets, the
scheduler imports the register's data when the state allows it (A or B), journaled; a failure
is retried and shown on the opening page; a person's import, or a second scheduler process,
never makes it twice. The job is called as the scheduler calls it, the clock moved with
set_clock."""

import threading

import httpx
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Box, Register, SyncRun
from app.states import SyncRunKind, SyncRunStatus
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days
from app.sync.importing import begin_import, import_register
from app.sync.jobs import planned_import_job
from tests.support.helpers import close_counted, dump_database, head_office_down, journal, register_config
from tests.support.schedule import paris, rename_register_at_head_office, set_schedule, tasks
from tests.support.screens import Kiosk
from tests.support.signed_days import service
from tests.support.till import open_till


def imported_at_five(app, client, headoffice_app, clock):
    """Planned import at 06:30; a person imported CAISSE01 at 05:00 on 1 December; then head
    office renames the register, which only a new import brings to the box."""
    set_schedule(headoffice_app, planned_import="06:30")
    clock.at(paris("2026-12-01 05:00"))
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    rename_register_at_head_office(headoffice_app, "Caisse du matin")
    return kiosk


def box(app):
    return service(
        app,
        lambda s: (
            s.scalars(select(Register.name)).one(),
            s.get(Box, 1).imported_by_code,
        ),
    )


def import_runs(app):
    return service(
        app,
        lambda s: [
            (r.person_code, r.status)
            for r in s.scalars(select(SyncRun).where(SyncRun.kind == SyncRunKind.IMPORT).order_by(SyncRun.id))
        ],
    )


def test_the_import_runs_at_its_hour_once(app, client, headoffice_app, clock):
    imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:29:30"))
    assert planned_import_job(app) == "not_due"
    clock.at(paris("2026-12-01 06:30:20"))
    assert planned_import_job(app) == "done"
    assert box(app) == ("Caisse du matin", "SYSTEME")
    assert planned_import_job(app) == "not_due"
    assert import_runs(app) == [("VEND01", SyncRunStatus.DONE), ("SYSTEME", SyncRunStatus.DONE)]
    with app.app_context():
        assert [(r.outcome, r.actor_code) for r in journal("import")] == [("ok", "VEND01"), ("ok", "SYSTEME")]
        db.session.remove()
    assert tasks(app) == [("planned_import", "01/12 06:30", "done", 1)]


def test_a_person_who_imported_after_the_hour_leaves_it_nothing(app, client, headoffice_app, clock):
    kiosk = imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:40"))
    kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    assert planned_import_job(app) == "not_due"
    assert [p for p, _s in import_runs(app)] == ["VEND01", "VEND01"]
    assert tasks(app) == []


def test_it_waits_while_a_day_is_open_and_until_the_days_are_exported(app, client, headoffice_app, clock):
    set_schedule(headoffice_app, planned_import="06:30")
    clock.at(paris("2026-12-01 05:00"))
    seller = open_till(app, client)
    rename_register_at_head_office(headoffice_app, "Caisse du matin")
    clock.at(paris("2026-12-01 06:30:20"))
    assert planned_import_job(app) == "waiting"
    assert planned_import_job(app) == "waiting"  # asked at every tick, journaled once
    assert box(app)[0] != "Caisse du matin"
    seller.post("/vente/disconnect")
    service(app, close_counted)
    assert planned_import_job(app) == "waiting"  # state D: the closed day goes first
    with app.app_context():
        reasons = [r.reason for r in journal("planned_import", "refused")]
        db.session.remove()
    assert reasons == [
        "Import planifié en attente : une journée est ouverte.",
        "Import planifié en attente : des journées fermées attendent l'export.",
    ]
    page = Kiosk(app.test_client()).open("/")
    assert any("des journées fermées attendent l'export" in m for m in page.messages), page.messages

    def export(session):
        with HeadOfficeClient.from_config(app.config) as ho:
            export_days(session, ho, "RESP01", "1234")

    service(app, export)
    assert planned_import_job(app) == "done"  # state A: the last register's data comes again
    assert box(app) == ("Caisse du matin", "SYSTEME")


def test_head_office_down_fails_it_visibly_and_it_is_tried_again(
    app, client, headoffice_app, clock, headoffice
):
    imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:30:20"))
    headoffice.override = head_office_down
    assert planned_import_job(app) == "failed"
    assert box(app)[0] != "Caisse du matin"  # the previous data, untouched
    assert tasks(app) == [("planned_import", "01/12 06:30", "failed", 1)]
    page = Kiosk(app.test_client()).open("/")
    assert any(
        "L'import planifié de 06:30 a échoué ; il sera réessayé à 06:35." in m and "injoignable" in m
        for m in page.messages
    ), page.messages
    with app.app_context():
        [failure] = journal("planned_import", "failed")
        db.session.remove()
    assert "injoignable" in failure.reason
    runs = import_runs(app)
    assert planned_import_job(app) == "not_due"  # not before its time
    assert import_runs(app) == runs
    clock.at(paris("2026-12-01 06:36"))
    headoffice.override = None
    assert planned_import_job(app) == "done"
    assert box(app) == ("Caisse du matin", "SYSTEME")
    assert tasks(app) == [("planned_import", "01/12 06:30", "done", 2)]
    page = Kiosk(app.test_client()).open("/")
    assert not any("import planifié" in m.lower() for m in page.messages), page.messages


def test_a_persons_import_running_holds_it_and_then_counts_as_done(app, client, headoffice_app, clock):
    imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:30:20"))
    run = service(app, lambda s: begin_import(s, "CAISSE01", "VEND01").uuid)  # Importer tapped
    assert planned_import_job(app) == "busy"

    def finish(session):
        with HeadOfficeClient.from_config(app.config) as ho:
            import_register(
                session,
                ho,
                "CAISSE01",
                "VEND01",
                "1111",
                run=session.scalars(select(SyncRun).where(SyncRun.uuid == run)).one(),
            )

    service(app, finish)
    assert planned_import_job(app) == "not_due"
    assert box(app) == ("Caisse du matin", "VEND01")
    assert [p for p, _s in import_runs(app)] == ["VEND01", "VEND01"]
    assert tasks(app) == [("planned_import", "01/12 06:30", "done", 0)]


def test_two_scheduler_processes_import_once(app, client, headoffice_app, clock, db_path, headoffice):
    imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:30:20"))
    other = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    start = threading.Barrier(2)
    outcomes = []

    def scheduler(an_app):
        start.wait()
        outcomes.append(planned_import_job(an_app))

    threads = [threading.Thread(target=scheduler, args=(a,)) for a in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert outcomes.count("done") == 1 and set(outcomes) <= {"done", "busy", "not_due"}, outcomes
    assert planned_import_job(app) == "not_due"
    assert [p for p, s in import_runs(app) if s == SyncRunStatus.DONE] == ["VEND01", "SYSTEME"]
    with other.app_context():
        db.engine.dispose()


def test_a_snapshot_with_an_unreadable_hour_is_refused_whole(app, client, headoffice_app, clock, headoffice):
    imported_at_five(app, client, headoffice_app, clock)
    clock.at(paris("2026-12-01 06:30:20"))
    real = headoffice.real

    def twenty_five_oclock(request):
        response = real.handle_request(request)
        response.read()
        if not request.url.path.endswith("/snapshot"):
            return response
        snapshot = response.json()
        snapshot["register"]["settings"]["auto_close_time"] = "25:00"
        return httpx.Response(200, json=snapshot)

    headoffice.override = twenty_five_oclock
    before = service(app, lambda s: dump_database())
    assert planned_import_job(app) == "failed"
    assert service(app, lambda s: dump_database()) == before
    with app.app_context():
        [failure] = journal("planned_import", "failed")
        db.session.remove()
    assert "heure auto_close_time illisible (HH:MM attendu)" in failure.reason
