"""« Clôture automatique de la journée » (docs/closing.md, « Automatic closing »): the
scheduler's job called as the scheduler calls it, the box's clock moved with set_clock (no
sleeps). The day closes through the same closing as a manager's — Z, period records, signed
chains, print job — once, whoever else races it."""

import json
import threading

from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import ClosingLine, PrintJob, RegisterDay
from app.services.closing import z_payload
from app.services.lifecycle import open_register
from app.states import DayState, PrintJobKind, TicketStatus
from app.sync.client import HeadOfficeClient
from app.sync.exporting import export_days
from app.sync.jobs import auto_close_job
from tests.support.closing import begin, validate
from tests.support.helpers import close_counted, journal, register_config
from tests.support.schedule import paris, pulled_days, set_schedule, tasks
from tests.support.screens import Kiosk
from tests.support.signed_days import problems, service
from tests.support.till import open_till, sell


def a_day_at_nine(app, client, headoffice_app, clock, till, hour="22:00"):
    """CAISSE01 with the automatic closing at `hour`, opened at 09:00 on 1 December, one
    sale in cash, VEND01 still connected."""
    set_schedule(headoffice_app, auto_close=hour)
    clock.at(paris("2026-12-01 09:00"))
    seller = open_till(app, client)
    sell(seller, till, ["Baguette tradition"], [("ESP", "2", None)])
    return seller


def day_rows(app):
    return service(
        app,
        lambda s: [
            (d.number, d.state, d.closed_by_code, d.forced)
            for d in s.scalars(select(RegisterDay).order_by(RegisterDay.id))
        ],
    )


def test_nothing_happens_before_the_hour_nor_when_the_setting_is_off(
    app, client, headoffice_app, clock, till
):
    a_day_at_nine(app, client, headoffice_app, clock, till)
    clock.at(paris("2026-12-01 21:59:30"))
    before = till.dump()
    assert auto_close_job(app) == "not_due"
    assert till.dump() == before

    set_schedule(headoffice_app, auto_close="off")  # head office's change counts from the next import
    assert auto_close_job(app) == "not_due"


def test_the_day_closes_at_the_hour_as_a_forced_closing_by_the_system(
    app, client, headoffice_app, clock, till
):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/suspend")  # a ticket aside, no payment
    seller.post("/vente/scan", htmx=True, code=till.barcode("Pain au chocolat"))  # on screen, no payment

    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"

    [(number, state, closed_by, forced)] = day_rows(app)
    assert (state, closed_by, forced) == (DayState.CLOSED, "SYSTEME", True)
    # The seller is disconnected, journaled with the reason; the unpaid tickets are cancelled.
    assert [code for code, gone in till.sellers() if gone] == ["VEND01"]
    with app.app_context():
        assert journal("force_close") == [
            ("force_close", "ok", "SYSTEME", "Clôture automatique de la journée")
        ]
        cancelled = journal("cancel_ticket")
        close = journal("close")
        db.session.remove()
    assert len(cancelled) == 2 and all(r.reason == "Clôture automatique de la journée" for r in cancelled)
    assert [(r.outcome, r.actor_code) for r in close] == [("ok", "SYSTEME")]
    tickets = till.tickets()
    assert [t.status for t in tickets] == [
        TicketStatus.FINISHED,
        TicketStatus.CANCELLED,
        TicketStatus.CANCELLED,
    ]
    assert all(t.number for t in tickets)
    # Nobody counted: no count invented, nothing withdrawn; the Z is queued, the chains hold.
    lines = service(
        app,
        lambda s: [
            (l.method_code, l.expected_cents, l.counted_cents) for l in s.scalars(select(ClosingLine))
        ],
    )
    assert ("ESP", 15130, None) in lines
    assert [k for k, _uuid, _state in till.print_jobs() if k == PrintJobKind.Z_REPORT] == [
        PrintJobKind.Z_REPORT
    ]
    assert problems(app) == []
    assert tasks(app) == [("auto_close", "01/12 22:00", "done", 1)]
    # The seller's screen is gone; the manager finds the opening page in state D, and is told.
    seller.open("/vente")
    assert seller.response.request.path != "/vente"
    manager = Kiosk(app.test_client())
    page = manager.open("/")
    assert any(
        "fermée automatiquement le 01/12/2026 22:00" in m and "comptez-le" in m for m in page.messages
    ), page.messages
    # The Z says it.
    z = service(
        app, lambda s: json.dumps(z_payload(s, s.scalars(select(RegisterDay)).one()), ensure_ascii=False)
    )
    assert '["Clôture automatique", "non comptée"]' in z and '["Fermeture forcée", "oui"]' in z


def test_a_second_tick_and_a_new_day_after_the_hour_are_left_alone(app, client, headoffice_app, clock, till):
    a_day_at_nine(app, client, headoffice_app, clock, till)
    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"
    after = till.dump()
    assert auto_close_job(app) == "not_due"
    assert till.dump() == after

    clock.at(paris("2026-12-01 22:10"))  # a manager opens again after the hour
    service(app, lambda s: open_register(s, "RESP01", "1234", 0))
    clock.at(paris("2026-12-01 23:30"))
    assert auto_close_job(app) == "not_due"
    assert [s for _n, s, _b, _f in day_rows(app)] == [DayState.CLOSED, DayState.OPEN]
    clock.at(paris("2026-12-02 22:00:05"))  # …and that day closes at the next day's hour
    assert auto_close_job(app) == "closed"


def test_a_box_off_at_the_hour_closes_once_at_its_next_start(app, client, headoffice_app, clock, till):
    a_day_at_nine(app, client, headoffice_app, clock, till)
    clock.at(paris("2026-12-04 08:00"))  # off from the 1st, 21:00 to the 4th, 08:00: three hours missed
    assert auto_close_job(app) == "closed"
    assert auto_close_job(app) == "not_due"
    assert len(day_rows(app)) == 1
    assert tasks(app) == [("auto_close", "03/12 22:00", "done", 1)]


def test_a_ticket_with_payments_holds_the_closing_until_it_is_finished(
    app, client, headoffice_app, clock, till
):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/pay", htmx=True, method="ESP", amount="0,50")  # part paid
    clock.at(paris("2026-12-01 22:00:30"))
    before = till.dump()
    assert auto_close_job(app) == "waiting"
    assert auto_close_job(app) == "waiting"  # asked again at each tick, journaled once
    with app.app_context():
        [refusal] = journal("auto_close", "refused")
        db.session.remove()
    assert "1 ticket(s) en cours avec des paiements" in refusal.reason
    assert [d[1] for d in day_rows(app)] == [DayState.OPEN]
    assert till.dump() == before  # nobody disconnected, nothing cancelled
    assert [code for code, gone in till.sellers() if not gone] == ["VEND01"]
    # The open register page tells the manager.
    manager = Kiosk(app.test_client())
    page = manager.open("/caisse")
    assert any("Clôture automatique de la journée en attente" in m for m in page.messages), page.messages

    [ticket] = till.tickets(status="open")
    total = ticket.total_cents - 50
    seller.post("/vente/pay", htmx=True, method="ESP", amount=f"{total // 100},{total % 100:02d}")
    seller.open("/vente?panel=pay")
    seller.post("/vente/finish", ticket=ticket.uuid)
    assert auto_close_job(app) == "closed"
    assert tasks(app) == [("auto_close", "01/12 22:00", "done", 2)]


def test_a_manager_who_closed_first_leaves_the_job_nothing_to_do(app, client, headoffice_app, clock, till):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    seller.post("/vente/disconnect")
    clock.at(paris("2026-12-01 21:50"))
    service(app, close_counted)
    clock.at(paris("2026-12-01 22:00:30"))
    before = till.dump()
    assert auto_close_job(app) == "not_due"
    assert till.dump() == before
    assert [(d[2], d[3]) for d in day_rows(app)] == [("RESP01", False)]


def test_a_manager_validating_after_the_job_is_told_and_changes_nothing(
    app, client, headoffice_app, clock, till
):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    seller.post("/vente/disconnect")
    clock.at(paris("2026-12-01 21:58"))
    manager = Kiosk(app.test_client())
    begin(manager)  # the closing page is open…
    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"  # …the scheduler closes meanwhile
    before = till.dump()
    page = validate(manager, amount="151,30", person="RESP01")
    assert any("La caisse vient d'être fermée depuis un autre écran." in m for m in page.messages), (
        page.messages
    )
    assert till.dump() == before


def test_two_scheduler_processes_close_the_day_once(
    app, client, headoffice_app, clock, till, db_path, headoffice
):
    a_day_at_nine(app, client, headoffice_app, clock, till)
    clock.at(paris("2026-12-01 22:00:30"))
    other = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    start = threading.Barrier(2)
    outcomes = []

    def scheduler(an_app):
        start.wait()
        outcomes.append(auto_close_job(an_app))

    threads = [threading.Thread(target=scheduler, args=(a,)) for a in (app, other)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["closed", "not_due"]
    assert len(day_rows(app)) == 1
    zs = service(
        app, lambda s: s.scalars(select(PrintJob).where(PrintJob.kind == PrintJobKind.Z_REPORT)).all()
    )
    assert len(zs) == 1
    with app.app_context():
        assert len(journal("close")) == 1
        db.session.remove()
    assert problems(app) == []
    with other.app_context():
        db.engine.dispose()


def test_head_office_receives_the_day_closed_by_the_system(app, client, headoffice_app, clock, till):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/suspend")
    clock.at(paris("2026-12-01 22:00:30"))
    assert auto_close_job(app) == "closed"
    clock.at(paris("2026-12-02 08:00"))

    def export(session):
        with HeadOfficeClient.from_config(app.config) as ho:
            export_days(session, ho, "RESP01", "1234")

    service(app, export)
    [day] = pulled_days(headoffice_app)
    assert (day["closed_by"]["code"], day["forced"]) == ("SYSTEME", True)
    assert sorted(t["status"] for t in day["tickets"]) == [TicketStatus.CANCELLED, TicketStatus.FINISHED]


def test_a_clock_set_back_refuses_it_once_then_it_waits_before_trying_again(
    app, client, headoffice_app, clock, till
):
    seller = a_day_at_nine(app, client, headoffice_app, clock, till)
    clock.at(paris("2026-12-01 22:30"))  # the scheduler was stopped: a sale after the hour
    sell(seller, till, ["Croissant"], [("ESP", "2", None)])
    clock.at(paris("2026-12-01 22:05"))  # …then the box's clock goes back
    before = till.dump()
    assert auto_close_job(app) == "refused"
    assert auto_close_job(app) == "not_due"  # not at every tick: each refusal is a signed event
    assert till.dump() == before
    with app.app_context():
        assert len(journal("clock_went_back", "refused")) == 1
        db.session.remove()
    assert tasks(app) == [("auto_close", "01/12 22:00", "failed", 1)]
    clock.at(paris("2026-12-01 22:45"))  # the clock put right, the five minutes gone
    assert auto_close_job(app) == "closed"
    assert tasks(app) == [("auto_close", "01/12 22:00", "done", 2)]
    assert problems(app) == []
