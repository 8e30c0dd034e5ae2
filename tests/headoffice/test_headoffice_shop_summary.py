"""GET /api/v1/shops/{shop}/summary and `shop-summary` (contract 1.5.0): « Récapitulatif de la
boutique » per register and for the shop, for a day or a period, checked against totals the
test works out itself from the batches it sends (returns, discounts, cancelled tickets, cash
documents, credit notes, two days of one register on one date, a day opened before midnight
in Paris that is after midnight in UTC... and the reverse)."""

import copy
import csv
import io
import uuid
from datetime import UTC, datetime

import pytest
from sqlalchemy import delete

from headoffice.extensions import db
from headoffice.models import DayFigures, ReceivedBatch
from tests.support.ho_days import expected_figures, make_batch, make_day

SUMMARY = "/api/v1/shops/BOUTIQUE01/summary"


def _at(day, hour, minute=0):
    return datetime(2026, 11, day, hour, minute, tzinfo=UTC)


def _days():
    """register → its days. CAISSE01: two days on the 20th (closed at noon, opened again), one
    opened at 23:30 UTC on the 20th, which is 00:30 on the 21st in Paris; CAISSE02: the 20th
    and the 22nd. Shop dates (Europe/Paris): 20th, 20th, 21st / 20th, 22nd."""
    return {
        "CAISSE01": [
            make_day("s", "CAISSE01", 1, _at(20, 7)),
            make_day("s", "CAISSE01", 2, _at(20, 13)),
            make_day("s", "CAISSE01", 3, _at(20, 23, 30), tickets=5),
        ],
        "CAISSE02": [make_day("s", "CAISSE02", 1, _at(20, 8)), make_day("s", "CAISSE02", 2, _at(22, 8))],
    }


@pytest.fixture
def sent(ho_api, ho_export_path):
    days = _days()
    for register, register_days in days.items():
        batch = make_batch("s", register, register_days)
        response = ho_api.put(ho_export_path(batch), json=batch)
        assert response.status_code == 201, response.json
    return days


def _summary(ho_api, **query):
    response = ho_api.get(SUMMARY, token="headoffice", query=query)
    assert response.status_code == 200, response.json
    return response.json


def _registers(summary):
    return {
        row["register_code"]: {k: v for k, v in row.items() if k != "register_name"}
        for row in summary["registers"]
    }


def _with_code(code, days):
    return {"register_code": code, **expected_figures(days)}


def test_a_day_per_register_and_for_the_shop(ho_api, sent):
    on_20th = {"CAISSE01": sent["CAISSE01"][:2], "CAISSE02": sent["CAISSE02"][:1]}

    summary = _summary(ho_api, date="2026-11-20")

    assert (summary["from"], summary["to"]) == ("2026-11-20", "2026-11-20")
    assert _registers(summary) == {code: _with_code(code, days) for code, days in on_20th.items()}
    assert summary["total"] == expected_figures(on_20th["CAISSE01"] + on_20th["CAISSE02"])
    # The generated days hold what the figures are about.
    total = summary["total"]
    assert total["day_count"] == 3 and total["return_count"] > 0 and total["discount_cents"] > 0
    assert total["credit_note_count"] > 0 and total["cash_in_count"] > 0 and total["cash_out_count"] > 0


def test_the_day_opened_before_midnight_in_paris_counts_for_its_paris_date(ho_api, sent):
    summary = _summary(ho_api, date="2026-11-21")

    assert _registers(summary)["CAISSE01"] == _with_code("CAISSE01", sent["CAISSE01"][2:])
    idle = _registers(summary)["CAISSE02"]  # every register is listed, even one that sold nothing
    assert idle["day_count"] == 0 and idle["sales_cents"] == 0 and idle["average_sale_cents"] is None


def test_a_period_adds_every_day_of_every_register(ho_api, sent):
    summary = _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"})

    assert _registers(summary) == {code: _with_code(code, days) for code, days in sent.items()}
    assert summary["total"] == expected_figures(sent["CAISSE01"] + sent["CAISSE02"])
    assert summary["total"]["day_count"] == 5
    empty = _summary(ho_api, **{"from": "2026-10-01", "to": "2026-10-31"})
    assert empty["total"]["sales_cents"] == 0 and empty["total"]["discount_percent"] is None


def test_days_sent_again_are_not_counted_twice(ho_api, ho_export_path, sent):
    before = _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"})
    again = make_batch("s", "CAISSE02", copy.deepcopy(sent["CAISSE02"]))
    again["batch_id"] = str(uuid.uuid4())  # a box restored from a backup sends them again

    assert ho_api.put(ho_export_path(again), json=again).status_code == 200

    assert _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"}) == before


def test_a_batch_whose_tickets_cannot_be_counted_is_refused_whole(ho_api, ho_export_path, ho_count):
    day = make_day("bad", "CAISSE01", 1, _at(20, 7))
    day["tickets"][0]["status"] = "finished"
    day["tickets"][0]["total_cents"] = "12,50"
    batch = make_batch("bad", "CAISSE01", [day])

    response = ho_api.put(ho_export_path(batch), json=batch, request_valid=False)

    assert response.status_code == 400
    assert "days[0].tickets[0].total_cents" in response.json["message"]
    assert ho_count(ReceivedBatch) == 0 and ho_count(DayFigures) == 0


def test_the_csv_download_in_french_and_in_english(ho_api, sent):
    query = {"from": "2026-11-20", "to": "2026-11-22", "format": "csv"}
    response = ho_api.get(SUMMARY, token="headoffice", query=query)

    assert response.status_code == 200
    assert response.mimetype == "text/csv"
    assert (
        'filename="recapitulatif-BOUTIQUE01-2026-11-20-2026-11-22.csv"'
        in response.headers["Content-Disposition"]
    )
    rows = list(csv.reader(io.StringIO(response.get_data().decode("utf-8-sig")), delimiter=";"))
    header, lines = rows[0], rows[1:]
    assert header[:4] == ["Caisse", "Nom", "Journées", "Ventes au total"]
    assert "Pourcentage des remises attribuées" in header and "Nombre d'articles retournés" in header
    assert [line[0] for line in lines] == ["CAISSE01", "CAISSE02", ""] and lines[-1][1] == "Boutique"
    total = expected_figures(sent["CAISSE01"] + sent["CAISSE02"])
    shop = dict(zip(header, lines[-1]))
    assert shop["Ventes au total"] == f"{total['sales_cents'] // 100},{total['sales_cents'] % 100:02d}"
    assert shop["Pourcentage des remises attribuées"] == f"{total['discount_percent']:.2f}".replace(".", ",")

    english = ho_api.get(SUMMARY, token="headoffice", query={**query, "lang": "en"})
    rows = list(csv.reader(io.StringIO(english.get_data().decode("utf-8-sig"))))
    assert rows[0][:4] == ["Register", "Name", "Days", "Total sales"]
    assert dict(zip(rows[0], rows[-1]))["Total sales"] == f"{total['sales_cents'] / 100:.2f}"


@pytest.mark.parametrize(
    ("query", "error", "words"),
    [
        ({"from": "2026-11-30", "to": "2026-11-01"}, "invalid_period", "reversed"),
        ({"from": "2025-01-01", "to": "2026-11-30"}, "period_too_long", "366"),
        ({"date": "20/11/2026"}, "invalid_date", "2026-11-23"),
        ({"date": "2026-02-30"}, "invalid_date", "2026-02-30"),
        ({"from": "2026-11-01"}, "invalid_period", "from= and to="),
        ({}, "invalid_period", "date="),
        ({"date": "2026-11-20", "format": "xlsx"}, "invalid_format", "csv"),
    ],
)
def test_bad_periods_are_400_with_a_message_in_both_languages(query, error, words, ho_api, sent):
    response = ho_api.get(SUMMARY, token="headoffice", query=query, request_valid=None)

    assert response.status_code == 400
    assert response.json["error"] == error
    assert words in response.json["message"] and response.json["message_fr"]


def test_an_unknown_shop_is_404_and_a_box_token_401(ho_api):
    missing = ho_api.get("/api/v1/shops/NOPE/summary", token="headoffice", query={"date": "2026-11-20"})
    assert missing.status_code == 404 and missing.json["error"] == "shop_not_found"
    assert (
        ho_api.get(SUMMARY, token="box", query={"date": "2026-11-20"}, request_valid=None).status_code == 401
    )


def test_init_db_counts_the_days_received_before_the_summary(ho_api, ho_app, ho_runner, sent):
    before = _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"})
    with ho_app.app_context():  # as a head office upgraded from 1.4: batches, no figures
        db.session.execute(delete(DayFigures))
        db.session.commit()
    assert _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"})["total"]["day_count"] == 0

    result = ho_runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Figures of 5 received day(s) counted" in result.output
    assert _summary(ho_api, **{"from": "2026-11-01", "to": "2026-11-30"}) == before
    assert "counted" not in ho_runner.invoke(args=["init-db"]).output  # once


def test_the_console_prints_the_summary(ho_runner, sent):
    result = ho_runner.invoke(args=["shop-summary", "BOUTIQUE01", "--date", "2026-11-22", "--lang", "en"])

    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(result.output)))
    assert [row[0] for row in rows[1:]] == ["CAISSE01", "CAISSE02", ""]
    assert dict(zip(rows[0], rows[2]))["Days"] == "1"

    reversed_dates = ho_runner.invoke(
        args=["shop-summary", "BOUTIQUE01", "--from", "2026-11-30", "--to", "2026-11-01"]
    )
    assert reversed_dates.exit_code == 1 and "inversées" in reversed_dates.output
