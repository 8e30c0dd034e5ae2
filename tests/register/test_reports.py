"""Rapports de caisse (docs/reports.md): the Récapitulatif du point de vente and the Rapport
périodique show the figures the test adds up itself from generated days (returns, discounts,
DC/RC, credit notes issued and spent, a withdrawal at closing, two days on one date); bad
dates, a range over the limit and a person without the right get a clear message and change
nothing; Imprimer queues one report job per page drawn."""

import json
import random
import re
import sqlite3
from datetime import datetime, timedelta

import pytest
from sqlalchemy import event, select

from app.database import read_snapshot
from app.devices.render import render_text
from app.extensions import db
from app.models import PrintJob, Staff
from app.money import format_euros
from app.services.errors import RightMissing
from app.services.reports import periodic_report, point_of_sale_summary
from app.states import PrintJobKind
from tests.support.report_days import PARIS, one_day, shop_time
from tests.support.screens import Kiosk
from tests.support.till import sell

ZONE = "Europe/Paris"


def _moments(first_day):
    """Three dates; the second holds two days (closed at noon, opened again)."""
    return [
        shop_time(first_day, 9),
        shop_time(first_day + timedelta(days=1), 9),
        shop_time(first_day + timedelta(days=1), 15),
        shop_time(first_day + timedelta(days=3), 10),
    ]


@pytest.fixture
def generated(app, client, request):
    kiosk = Kiosk(client)
    kiosk.open("/")
    kiosk.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    rng = random.Random(request.param)
    first_day = datetime.now(PARIS).date() - timedelta(days=12)
    notes: list = []
    return kiosk, [one_day(app, rng, moment, notes) for moment in _moments(first_day)]


def _viewer(session):
    return session.get(Staff, "RESP01")


def _check_day(summary, e):
    sales, methods = summary.figures.sales, {m.code: m for m in summary.figures.methods}
    assert (sales.sales_count, sales.total_cents) == (e.sales_count, e.sales_cents)
    assert sales.list_price_cents == e.list_price_cents
    assert sales.discounts_cents == e.list_price_cents - e.sales_cents
    assert (sales.corrections_count, sales.corrections_cents) == (e.returns_count, e.returns_cents)
    assert (sales.items_sold_milli, sales.items_returned_milli) == (
        e.items_sold * 1000,
        e.items_returned * 1000,
    )
    assert (sales.vouchers_count, sales.vouchers_cents) == (e.vouchers_count, e.vouchers_cents)
    for code in set(e.payment_count) | set(e.manual_in) | set(e.manual_out):
        m = methods[code]
        assert m.payment_count == e.payment_count[code], code
        assert (m.sales_cents, m.returns_cents) == (e.method_sales[code], e.method_refunds[code]), code
        assert (m.manual_in_cents, m.manual_out_cents) == (e.manual_in[code], e.manual_out[code]), code
        assert m.total_cents == (
            e.method_sales[code] + e.manual_in[code] - e.method_refunds[code] - e.manual_out[code]
        )
    assert {c.code: c.total_cents for c in summary.figures.categories} == {
        code: cents for code, cents in e.categories.items() if cents > 0
    }
    assert {hour: cents for hour, (_n, cents) in summary.figures.hours.items()} == dict(e.hours)


@pytest.mark.parametrize("generated", [7, 18], indirect=True)
def test_point_of_sale_figures_are_the_days_added_up(app, generated):
    _kiosk, expected = generated
    with app.app_context():
        for e in expected:
            summary = point_of_sale_summary(db.session, _viewer(db.session), e.on, e.uuid, ZONE)
            assert summary.day.uuid == e.uuid
            _check_day(summary, e)
            cash = summary.cash
            assert cash.initial_float_cents == e.float_cents
            assert cash.opening_difference_cents == e.opening_difference_cents
            assert cash.sales_in_cents == e.method_sales["ESP"]
            assert cash.returns_out_cents == e.method_refunds["ESP"]
            assert cash.balance_cents == (
                e.float_cents
                + e.method_sales["ESP"]
                + e.manual_in["ESP"]
                - e.method_refunds["ESP"]
                - e.manual_out["ESP"]
            )
        # The date with two days lists both and shows the later one until another is chosen.
        two = [e for e in expected if e.on == expected[1].on]
        summary = point_of_sale_summary(db.session, _viewer(db.session), two[0].on, None, ZONE)
        assert [d.uuid for d in summary.days] == [e.uuid for e in two]
        assert summary.day.uuid == two[-1].uuid


@pytest.mark.parametrize("generated", [7], indirect=True)
def test_periodic_report_adds_up_the_days_and_their_signed_records(app, generated):
    _kiosk, expected = generated
    first, last = expected[0].on, expected[-1].on
    with app.app_context():
        report = periodic_report(db.session, _viewer(db.session), first, last, ZONE)
        sales = report.figures.sales
        assert [d.uuid for d in report.days] == [e.uuid for e in expected]
        assert sales.total_cents == sum(e.sales_cents for e in expected)
        assert sales.list_price_cents == sum(e.list_price_cents for e in expected)
        assert sales.corrections_cents == sum(e.returns_cents for e in expected)
        assert sales.vouchers_count == sum(e.vouchers_count for e in expected)
        fiscal = report.fiscal
        assert (fiscal.days, fiscal.unsigned_days) == (len(expected), 0)
        assert fiscal.sales_cents == sum(e.sales_cents for e in expected)
        assert fiscal.returns_cents == sum(e.returns_cents for e in expected)
        assert fiscal.ticket_count == sum(e.sales_count + e.returns_count for e in expected)
        assert sum(t[3] for t in fiscal.taxes) == fiscal.total_cents
        # Only the days of the range: the last date alone.
        alone = periodic_report(db.session, _viewer(db.session), last, last, ZONE)
        assert alone.figures.sales.total_cents == expected[-1].sales_cents


def _rows(html: str) -> dict:
    return {
        label: value
        for label, value in re.findall(
            r'<th scope="row">([^<]*)</th><td>([^<]*)</td>', html.replace("&#39;", "'")
        )
    }


@pytest.mark.parametrize("generated", [18], indirect=True)
def test_the_manager_reads_the_four_tabs_and_the_periodic_report(app, generated):
    kiosk, expected = generated
    e = expected[1]
    url = f"/rapports/point-de-vente?jour={e.on.isoformat()}&journee={e.uuid}"
    kiosk.sign_in("/rapports")
    html = kiosk.client.get(url + "&onglet=ventes").get_data(as_text=True)
    rows = _rows(html)
    assert rows["Vente au total"] == format_euros(e.sales_cents)
    assert rows["Vente à un prix appliqué"] == format_euros(e.list_price_cents)
    assert rows["Nombre de documents de correction établis"] == str(e.returns_count)
    assert rows["Quantité d'articles vendus"] == str(e.items_sold)
    assert "<svg" in html and "Ventes par heure" in html
    rows = _rows(kiosk.client.get(url + "&onglet=especes").get_data(as_text=True))
    assert rows["Fonds de caisse initial"] == format_euros(e.float_cents)
    html = kiosk.client.get(url + "&onglet=fonds&colonnes=toutes").get_data(as_text=True)
    assert "Retraits manuels" in html and "Ventes par mode de paiement" in html
    html = kiosk.client.get(url + "&onglet=categories").get_data(as_text=True)
    assert "Montant de ventes" in html
    both = kiosk.client.get(f"/rapports/point-de-vente?jour={e.on.isoformat()}").get_data(as_text=True)
    assert both.count(f"/rapports/point-de-vente?jour={e.on.isoformat()}&amp;journee=") >= 2
    html = kiosk.client.get(
        f"/rapports/periodique?du={expected[0].on.isoformat()}&au={expected[-1].on.isoformat()}"
    ).get_data(as_text=True)
    rows = _rows(html)
    assert rows["Vente au total"] == format_euros(sum(x.sales_cents for x in expected))
    assert rows["Journées"] == str(len(expected))
    for x in expected:
        assert f"/journees/{x.uuid}" in html  # each day's Z is one tap away
    # …with the day's signed period record, as it printed at closing.
    z = kiosk.client.get(f"/journees/{expected[0].uuid}").get_data(as_text=True)
    assert "RAPPORT DE 24H (Z)" in z and "Totaux de la période (journée)" in z
    assert re.search(r"Enregistrement +n° \d+ - signature", z), z


# --- bad input: a clear message, nothing changed -------------------------------------------

BAD_PERIODS = [
    ("du=2026-11-20&au=2026-11-10", "est avant la date de début"),
    ("du=2024-01-01&au=2025-06-30", "La période dépasse 366 jours"),
    ("du=2026-13-45&au=2026-11-10", "n'est pas une date"),
    ("du=hier&au=2026-11-10", "n'est pas une date"),
    ("du=2099-01-01&au=2099-01-02", "La période commence après aujourd'hui"),
]


@pytest.mark.parametrize("query, message", BAD_PERIODS)
def test_a_period_that_cannot_make_a_report_is_refused_with_its_reason(kiosk, till, query, message):
    kiosk.sign_in("/rapports")
    before = till.dump()
    page = kiosk.open("/rapports/periodique?" + query)
    assert kiosk.response.status_code in (422,), page.body[:300]
    assert any(message in m for m in page.messages), page.messages
    assert "Imprimer" not in page.buttons
    assert till.dump() == before


@pytest.mark.parametrize(
    "query, message",
    [
        ("jour=2099-01-01", "n'est pas encore arrivé"),
        ("jour=31/02/2026", "n'est pas une date"),
        ("jour=2026-11-01&journee=00000000-0000-4000-8000-000000000000", "choisissez-en une dans la liste"),
    ],
)
def test_a_day_summary_for_a_date_that_cannot_have_one_is_refused(kiosk, till, query, message):
    kiosk.sign_in("/rapports")
    before = till.dump()
    page = kiosk.open("/rapports/point-de-vente?" + query)
    assert kiosk.response.status_code == 422
    assert any(message in m for m in page.body.split("  ")) or message in page.body
    assert till.dump() == before


@pytest.mark.parametrize("url", ["/rapports", "/rapports/point-de-vente", "/rapports/periodique"])
def test_reports_need_the_managers_right(app, client, till, url):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/sync/import", register="CAISSE01", person="VEND01", password="1111")
    before = till.dump()
    screen.open(url)
    assert screen.response.status_code == 401
    page = screen.post("/entrer", person="VEND02", password="2222", next=url)
    assert screen.response.status_code == 401
    assert any("n'a pas le droit" in m for m in page.messages), page.messages
    assert "Vente au total" not in page.body and "Paiements en espèces" not in page.body
    assert till.dump() == before
    with app.app_context():  # the services check the right themselves too
        seller = db.session.get(Staff, "VEND02")
        with pytest.raises(RightMissing):
            point_of_sale_summary(db.session, seller, None, None, ZONE)
        with pytest.raises(RightMissing):
            periodic_report(db.session, seller, None, None, ZONE)
        db.session.remove()


def test_imprimer_queues_one_report_per_page_and_refuses_a_stale_page(app, kiosk, till):
    sell(kiosk, till, ["Baguette tradition"])
    kiosk.sign_in("/rapports/point-de-vente")
    token = kiosk.page.inputs["jeton"]["value"]
    day = kiosk.page.inputs["jour"]["value"]
    kiosk.post(
        "/rapports/point-de-vente/imprimer",
        jour=day,
        journee=kiosk.page.inputs["journee"]["value"],
        jeton=token,
    )
    kiosk.post("/rapports/point-de-vente/imprimer", jour=day, journee="", jeton=token)  # a double tap
    with app.app_context():
        jobs = db.session.scalars(select(PrintJob).where(PrintJob.kind == PrintJobKind.REPORT)).all()
        assert len(jobs) == 1
        assert "Vente au total" in jobs[0].payload and "Paiements en espèces" in jobs[0].payload
    before = till.dump()
    page = kiosk.post("/rapports/point-de-vente/imprimer", jour=day, jeton="not-a-token")
    assert any("Cette page a expiré" in m for m in page.messages), page.messages
    assert till.dump() == before


def _report_jobs(app):
    with app.app_context():
        jobs = [
            (job.kind, render_text(job.kind, json.loads(job.payload)))
            for job in db.session.scalars(select(PrintJob).where(PrintJob.kind == PrintJobKind.REPORT))
        ]
        db.session.remove()
    return jobs


def test_the_reports_print_in_french_whatever_the_screen_language(app, kiosk, till):
    sell(kiosk, till, ["Baguette tradition"])
    kiosk.sign_in("/rapports")
    kiosk.post("/lang", lang="en", next="/rapports/point-de-vente?onglet=ventes")
    page = kiosk.open("/rapports/point-de-vente?onglet=ventes")
    assert "Total sales" in page.body and "Sales summary" in page.body
    kiosk.post(
        "/rapports/point-de-vente/imprimer",
        jour=kiosk.page.inputs["jour"]["value"],
        journee=kiosk.page.inputs["journee"]["value"],
        jeton=kiosk.page.inputs["jeton"]["value"],
    )
    assert any("The summary is going to the printer." in m for m in kiosk.page.messages), kiosk.page.messages
    today = kiosk.page.inputs["jour"]["value"]
    kiosk.open(f"/rapports/periodique?du={today}&au={today}")
    kiosk.post("/rapports/periodique/imprimer", du=today, au=today, jeton=kiosk.page.inputs["jeton"]["value"])
    [(_, summary), (_, periodic)] = _report_jobs(app)
    assert "RÉCAPITULATIF" in summary and "du point de vente" in summary
    for label in (
        "Paiements en espèces",
        "Fonds de caisse initial",
        "Vente au total",
        "Ventes par catégorie",
    ):
        assert label in summary, label
    assert "Total sales" not in summary
    # Today's day is still open: the periodic report has no closed day, but prints its range.
    assert "RAPPORT PÉRIODIQUE" in periodic and "Récapitulatif de ventes" in periodic


def test_printing_a_period_that_cannot_be_reported_is_refused_and_prints_nothing(app, kiosk, till):
    kiosk.sign_in("/rapports/periodique")
    token = kiosk.page.inputs["jeton"]["value"]
    before = till.dump()
    page = kiosk.post("/rapports/periodique/imprimer", du="2026-11-20", au="2026-11-10", jeton=token)
    assert any("est avant la date de début" in m for m in page.messages), page.messages
    page = kiosk.post("/rapports/periodique/imprimer", du="2020-01-01", au="2026-01-01", jeton=token)
    assert any("La période dépasse 366 jours" in m for m in page.messages), page.messages
    assert till.dump() == before
    assert _report_jobs(app) == []


# --- a report never holds the lock a sale waits for -----------------------------------------


def test_a_snapshot_read_lets_the_till_write_meanwhile_and_keeps_its_own_view(app, kiosk, till, db_path):
    sell(kiosk, till, ["Baguette tradition"])
    with app.app_context():
        db.session.rollback()
        with read_snapshot(db.session) as cursor:
            before = cursor.execute("SELECT COUNT(*) AS n FROM ticket").fetchone()["n"]
            writer = sqlite3.connect(db_path, isolation_level=None, timeout=0)  # no waiting
            writer.execute("BEGIN IMMEDIATE")  # "database is locked" at once if the read held it
            writer.execute("UPDATE box SET device_name = device_name || '!'")
            writer.execute("COMMIT")
            writer.close()
            assert cursor.execute("SELECT COUNT(*) AS n FROM ticket").fetchone()["n"] == before
        db.session.remove()


@pytest.mark.parametrize("generated", [7], indirect=True)
def test_the_reports_read_their_rows_outside_the_sessions_write_transaction(app, generated):
    """Every session transaction is BEGIN IMMEDIATE: the tickets must not be read through it."""
    _kiosk, expected = generated
    through_session, watched = [], []

    def watch(dbapi_connection, _record, _proxy):
        dbapi_connection.set_trace_callback(through_session.append)
        watched.append(dbapi_connection)

    with app.app_context():
        db.session.remove()
        event.listen(db.engine, "checkout", watch)
        try:
            viewer = _viewer(db.session)
            periodic_report(db.session, viewer, expected[0].on, expected[-1].on, ZONE)
            point_of_sale_summary(db.session, viewer, expected[0].on, None, ZONE)
            db.session.remove()
        finally:
            event.remove(db.engine, "checkout", watch)
            for connection in watched:
                connection.set_trace_callback(None)
    assert through_session, "the session was used (the right is checked there)"
    assert [sql for sql in through_session if "ticket_line" in sql or "FROM ticket " in sql] == []
