"""Period totals (docs/integrity.md « Period records »): each closing signs its day with the
totals per VAT rate and the perpetual grand totals, the first closing of a new month or
fiscal year signs the one that ended, the Z prints them, the verifier names an edited or a
deleted Z, and nothing is added to a closed period when the clock is set back."""

import json
from datetime import timedelta

import pytest

from app.models import Shop
from app.models.base import set_clock
from tests.support.signed_days import close, edit, next_day, problems, records, service, utc
from tests.support.till import open_till, refused, sell


@pytest.fixture
def seller(app, client):
    return open_till(app, client)


def z_text(app, client, day_uuid):
    from tests.support.screens import Kiosk

    manager = Kiosk(client)
    manager.sign_in(f"/journees/{day_uuid}")
    return " ".join(manager.open(f"/journees/{day_uuid}").body.split())


def a_return(seller, ticket, line_index=0):
    seller.open("/vente?panel=return")
    seller.post("/vente/return", number=str(ticket.number))
    seller.post(f"/vente/return/lines/{ticket.lines[line_index].id}", htmx=True, quantity="1", unit="unit")
    seller.post("/vente/refund", method="ESP", person="RESP01", password="1234")


def test_a_closing_signs_its_day_with_totals_per_rate_and_perpetual_totals(app, client, clock, till):
    clock.at(utc("2026-03-10 09:00"))
    seller = open_till(app, client)
    bread = sell(seller, till, ["Baguette tradition"], [("ESP", "1,30", None)])
    sell(seller, till, ["Bière blonde 6 x 25 cl"])
    a_return(seller, bread)
    day = close(app, seller)
    [(number, kind, subject, fields)] = records(till, "period")
    assert (number, kind, subject) == (1, "day", day)
    assert (
        fields["from"],
        fields["ticket_count"],
        fields["sales_cents"],
        fields["returns_cents"],
        fields["total_cents"],
    ) == ("2026-03-10", 3, 620, -130, 490)
    assert [(rate, total) for rate, _base, _tax, total in fields["taxes"]] == [(550, 0), (2000, 490)]
    assert (fields["perpetual_cents"], fields["perpetual_abs_cents"]) == (490, 750)
    text = z_text(app, client, day)
    for figure in (
        "Total de la journée 4,90 €",
        "20 % TTC 4,90 €",
        "Grand total perpétuel 4,90 €",
        "Grand total perpétuel (valeurs absolues) 7,50 €",
        "Enregistrement n° 1 - signature",
    ):
        assert figure in text, figure
    carried = json.loads(till.sql("SELECT payload FROM print_job WHERE kind = 'z_report'").scalar())["period"]
    assert {k: carried[k] for k in ("number", "total_cents", "perpetual_cents", "perpetual_abs_cents")} == {
        "number": 1,
        "total_cents": 490,
        "perpetual_cents": 490,
        "perpetual_abs_cents": 750,
    }
    assert problems(app) == []


def test_perpetual_totals_run_on_across_closings_and_a_new_month_signs_the_month(app, client, clock, till):
    clock.at(utc("2026-03-30 09:00"))
    seller = open_till(app, client)
    sell(seller, till, ["Baguette tradition"])
    close(app, seller)
    clock.at(utc("2026-03-31 09:00"))
    next_day(app, seller)
    sell(seller, till, ["Croissant"])
    close(app, seller)
    clock.at(utc("2026-04-01 09:00"))
    next_day(app, seller)
    bread = sell(seller, till, ["Baguette tradition"], [("ESP", "1,30", None)])
    a_return(seller, bread)
    last = close(app, seller)
    chain = records(till, "period")
    assert [(n, kind) for n, kind, _s, _f in chain] == [(1, "day"), (2, "day"), (3, "month"), (4, "day")]
    assert [f["perpetual_cents"] for *_, f in chain] == [130, 250, 250, 250]
    assert [f["perpetual_abs_cents"] for *_, f in chain] == [130, 250, 250, 510]
    month = chain[2][3]
    assert (month["from"], month["to"], month["days"], month["ticket_count"], month["total_cents"]) == (
        "2026-03-01",
        "2026-03-31",
        2,
        2,
        250,
    )
    assert till.sql("SELECT grand_total_cents FROM register_day ORDER BY number").scalars().all() == [
        130,
        250,
        250,
    ]
    text = z_text(app, client, last)
    assert "Clôture du mois du 01/03/2026 au 31/03/2026" in text
    assert "Total de la période 2,50 €" in text and "Grand total perpétuel 2,50 €" in text
    assert problems(app) == []


def test_the_fiscal_year_end_comes_from_head_office_and_a_new_year_signs_the_year(
    app, client, clock, till, headoffice_app
):
    from headoffice.extensions import db as ho_db
    from headoffice.models import Shop as HeadOfficeShop

    with headoffice_app.app_context():
        ho_db.session.query(HeadOfficeShop).update({"fiscal_year_end": "03-31"})
        ho_db.session.commit()
    clock.at(utc("2026-03-31 09:00"))
    seller = open_till(app, client)
    assert service(app, lambda session: session.query(Shop.fiscal_year_end).scalar()) == "03-31"
    sell(seller, till, ["Croissant"])
    close(app, seller)
    clock.at(utc("2026-04-01 09:00"))
    next_day(app, seller)
    sell(seller, till, ["Croissant"])
    close(app, seller)
    chain = records(till, "period")
    assert [kind for _n, kind, _s, _f in chain] == ["day", "month", "year", "day"]
    year = chain[2][3]
    assert (year["from"], year["to"], year["days"], year["total_cents"], year["perpetual_cents"]) == (
        "2025-04-01",
        "2026-03-31",
        1,
        120,
        120,
    )
    assert chain[3][3]["perpetual_cents"] == 240
    assert [
        a
        for (a,) in till.sql("SELECT action FROM journal_entry WHERE action LIKE 'close%' ORDER BY id").all()
    ] == ["close", "close_month", "close_year", "close"]


def test_perpetual_totals_continue_from_head_office_on_a_replacement_box(app, client, till):
    seller = open_till(app, client)
    till.sql(
        "INSERT INTO chain_start (register_code, chain, number, signature, perpetual_cents,"
        " perpetual_abs_cents, source, at) VALUES ('CAISSE01', 'period', 41, 'sig', 1000000, 1500000,"
        " 'headoffice', '2026-01-01 00:00:00')"
    )
    sell(seller, till, ["Croissant"])
    close(app, seller)
    [(number, _kind, _s, fields)] = records(till, "period")
    assert (number, fields["perpetual_cents"], fields["perpetual_abs_cents"]) == (42, 1000120, 1500120)


def test_an_edited_z_total_is_named(app, seller, till):
    sell(seller, till, ["Croissant"])
    day = close(app, seller)
    edit(app, "UPDATE register_day SET sales_total_cents = 1 WHERE uuid = ?", day)
    [(chain, number, what, detail)] = problems(app)
    assert (chain, number, what) == ("period", 1, "altered") and "total_cents" in detail


def test_a_deleted_last_z_is_named(app, seller, till):
    sell(seller, till, ["Croissant"])
    close(app, seller)
    next_day(app, seller)
    sell(seller, till, ["Croissant"])
    last = close(app, seller)
    edit(app, "DELETE FROM signed_record WHERE chain = 'period' AND number = 2")
    assert ("period", None, "missing", "day n°2 is closed but its period record is not there") in problems(
        app
    )
    # The day's row deleted as well: its closing event still names it.
    edit(app, "DELETE FROM register_day WHERE uuid = ?", last)
    assert [(c, n, w) for c, n, w, _d in problems(app) if c == "period"] == [("period", None, "missing")]


def test_a_clock_set_back_can_neither_sell_nor_close(app, client, seller, till):
    sell(seller, till, ["Croissant"])
    set_clock(timedelta(hours=-1))
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/pay", htmx=True, method="CB", amount="1,20")
    [ticket] = till.tickets(status="open")
    refused(
        seller,
        till,
        lambda: seller.post("/vente/finish", htmx=True, ticket=ticket.uuid),
        409,
        "L'horloge de la caisse indique une heure antérieure au dernier document signé",
    )
    assert till.journal("clock_went_back", "refused")
    set_clock()
    seller.post("/vente/finish", ticket=ticket.uuid)
    seller.post("/vente/disconnect")
    set_clock(timedelta(hours=-1))
    from tests.support.closing import begin, validate
    from tests.support.screens import Kiosk

    manager = Kiosk(client)
    begin(manager)
    refused(
        manager,
        till,
        lambda: validate(manager, counted_ESP="150"),
        409,
        "L'horloge de la caisse indique une heure antérieure au dernier document signé",
    )
    assert records(till, "period") == []
    assert len(till.journal("clock_went_back", "refused")) == 2
    events = [f for _n, kind, _s, f in records(till, "event") if kind == "clock_went_back"]
    assert [e["code"] for e in events] == [110, 110]
    set_clock()
    begin(manager)
    validate(manager, counted_ESP="150")
    assert [kind for _n, kind, _s, _f in records(till, "period")] == ["day"]


def test_a_clock_set_back_before_the_last_z_cannot_sell_in_the_closed_period(app, client, clock, till):
    clock.at(utc("2026-05-04 08:00"))
    seller = open_till(app, client)
    sell(seller, till, ["Croissant"])
    clock.at(utc("2026-05-04 18:00"))
    close(app, seller)
    next_day(app, seller)
    clock.at(utc("2026-05-04 12:00"))  # after the last ticket, before the Z
    seller.post("/vente/scan", htmx=True, code=till.barcode("Croissant"))
    seller.post("/vente/pay", htmx=True, method="CB", amount="1,20")
    [ticket] = till.tickets(status="open")
    refused(
        seller,
        till,
        lambda: seller.post("/vente/finish", htmx=True, ticket=ticket.uuid),
        409,
        "L'horloge de la caisse indique une heure antérieure au dernier document signé",
    )
    [details] = till.sql("SELECT details FROM journal_entry WHERE action = 'clock_went_back'").scalars().all()
    assert (json.loads(details)["chain"], json.loads(details)["last_signed_chain"]) == ("ticket", "period")


def test_perpetual_totals_continue_from_the_days_closed_before_an_upgrade(app, client, till):
    seller = open_till(app, client)
    bread = sell(seller, till, ["Baguette tradition"], [("ESP", "1,30", None)])
    sell(seller, till, ["Croissant"])
    a_return(seller, bread)
    close(app, seller)
    # As an upgraded box has it: a closed day with its grand total, and no period record.
    till.sql("DROP TRIGGER signed_record_no_delete")
    till.sql("DELETE FROM signed_record WHERE chain = 'period'")
    till.sql("UPDATE register_day SET grand_total_cents = 100120")
    next_day(app, seller)
    sell(seller, till, ["Croissant"])
    close(app, seller)
    [(_n, _kind, _s, fields)] = records(till, "period")
    # 1001,20 € carried on, + 1,20 €; absolute values: 1,30 + 1,20 + |−1,30| + 1,20.
    assert (fields["perpetual_cents"], fields["perpetual_abs_cents"]) == (100240, 500)
