"""Credit notes (avoirs): booked from received exports, offered back in the snapshot.

Assertions are on the snapshot JSON, what a box imports.
"""

import logging
import threading
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest

from headoffice.gtin import ean13
from headoffice.models import CreditNote, ReceivedBatch

SNAPSHOT = "/api/v1/registers/{}/snapshot"
FIRST, SECOND, THIRD = (ean13(f"99000000000{n}") for n in (1, 2, 3))


def _today():
    # The demo shop's day, which is what "not expired" means at head office.
    return datetime.now(ZoneInfo("Europe/Paris")).date()


LATER = (_today() + timedelta(days=365)).isoformat()


def _snapshot(ho_api, register="CAISSE01") -> dict:
    response = ho_api.get(SNAPSHOT.format(register))
    assert response.status_code == 200
    return response.json


def _notes(ho_api, register="CAISSE01") -> dict[str, dict]:
    return {note["code"]: note for note in _snapshot(ho_api, register)["credit_notes"]}


def _balances(ho_api) -> dict[str, int]:
    return {code: note["balance_cents"] for code, note in _notes(ho_api).items()}


def _send(ho_api, ho_export_path, batch, status=201):
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == status, response.json
    return response


def test_the_avoir_method_is_store_credit_and_no_note_exists_at_first(ho_api):
    snap = _snapshot(ho_api)

    methods = {method["code"]: method for method in snap["payment_methods"]}
    assert methods["AV"] == {
        "code": "AV",
        "name": "Avoir",
        "gives_change": False,
        "counted_in_drawer": False,
        "goes_to_safe": False,
        "counted_as_items": False,
        "store_credit": True,
        "position": 5,
    }
    assert [code for code, method in methods.items() if method["store_credit"]] == ["AV"]
    assert snap["credit_notes"] == []


def test_a_return_refunded_in_avoir_issues_a_note_every_register_sees(
    ho_api, ho_credit_batch, ho_export_path
):
    before = _snapshot(ho_api)["version"]

    _send(ho_api, ho_export_path, ho_credit_batch("i1", [("issue", FIRST, 1250, LATER)]))

    snap = _snapshot(ho_api)
    assert snap["credit_notes"] == [
        {
            "code": FIRST,
            "balance_cents": 1250,
            "issued_cents": 1250,
            "issued_at": "2026-11-22T10:00:00Z",
            "expires_on": LATER,
            "register_code": "CAISSE01",
        }
    ]
    assert snap["version"] != before
    assert _notes(ho_api, "CAISSE02") == {FIRST: snap["credit_notes"][0]}


def test_spends_lower_the_balance_and_spending_it_all_removes_the_note(
    ho_api, ho_credit_batch, ho_export_path
):
    _send(
        ho_api,
        ho_export_path,
        ho_credit_batch("i1", [("issue", FIRST, 2000, LATER), ("issue", SECOND, 700, LATER)]),
    )
    issued = _snapshot(ho_api)["version"]

    _send(ho_api, ho_export_path, ho_credit_batch("s1", [("spend", FIRST, 500)], "CAISSE02"))

    snap = _snapshot(ho_api)
    assert snap["version"] != issued
    assert {
        note["code"]: (note["balance_cents"], note["issued_cents"], note["register_code"])
        for note in snap["credit_notes"]
    } == {FIRST: (1500, 2000, "CAISSE01"), SECOND: (700, 700, "CAISSE01")}

    # Two sales of one day spend the rest, 1000 then 500.
    _send(ho_api, ho_export_path, ho_credit_batch("s2", [("spend", FIRST, 1000), ("spend", FIRST, 500)]))

    assert _balances(ho_api) == {SECOND: 700}


def test_an_expired_note_is_absent_and_one_expiring_today_is_offered(ho_api, ho_credit_batch, ho_export_path):
    yesterday = (_today() - timedelta(days=1)).isoformat()
    _send(
        ho_api,
        ho_export_path,
        ho_credit_batch(
            "i1",
            [
                ("issue", FIRST, 900, yesterday),
                ("issue", SECOND, 800, _today().isoformat()),
                ("issue", THIRD, 700, LATER),
            ],
        ),
    )

    assert _balances(ho_api) == {SECOND: 800, THIRD: 700}


def test_a_spend_received_before_its_issue_waits_for_it(ho_api, ho_credit_batch, ho_export_path):
    # CAISSE02 exported the sale before CAISSE01 exported the return that issued the note.
    _send(ho_api, ho_export_path, ho_credit_batch("s1", [("spend", FIRST, 300)], "CAISSE02"))
    assert _balances(ho_api) == {}

    _send(ho_api, ho_export_path, ho_credit_batch("i1", [("issue", FIRST, 1000, LATER)]))

    note = _notes(ho_api)[FIRST]
    assert (note["balance_cents"], note["issued_cents"]) == (700, 1000)
    assert (note["register_code"], note["expires_on"]) == ("CAISSE01", LATER)


def test_a_replayed_batch_counts_once(ho_api, ho_credit_batch, ho_export_path):
    issue = ho_credit_batch("i1", [("issue", FIRST, 1000, LATER)])
    spend = ho_credit_batch("s1", [("spend", FIRST, 400)])
    for batch in (issue, issue, spend, spend):
        ho_api.put(ho_export_path(batch), json=batch)

    assert _balances(ho_api) == {FIRST: 600}
    assert _notes(ho_api)[FIRST]["issued_cents"] == 1000


def test_a_day_already_received_moves_no_balance_again(ho_api, ho_credit_batch, ho_export_path):
    issued = ho_credit_batch("i1", [("issue", FIRST, 1000, LATER)])
    _send(ho_api, ho_export_path, issued)
    # The same day under a new batch id (a restored box): acknowledged, booked once.
    again = ho_credit_batch("i1", [("issue", FIRST, 1000, LATER)])
    again["batch_id"] = "0b6f3a52-43c5-4d0b-a5f2-7cba1e9b0a11"
    _send(ho_api, ho_export_path, again, status=200)
    # With other content: refused.
    changed = ho_credit_batch("i1", [("issue", FIRST, 1500, LATER)])
    changed["batch_id"] = "0b6f3a52-43c5-4d0b-a5f2-7cba1e9b0a12"
    _send(ho_api, ho_export_path, changed, status=409)
    # Beside a new day that spends: only the new day is booked.
    mixed = ho_credit_batch("s1", [("spend", FIRST, 400)])
    mixed["batch_id"] = "0b6f3a52-43c5-4d0b-a5f2-7cba1e9b0a13"
    mixed["days"] = [*issued["days"], *mixed["days"]]
    _send(ho_api, ho_export_path, mixed, status=201)

    assert _balances(ho_api) == {FIRST: 600}
    assert _notes(ho_api)[FIRST]["issued_cents"] == 1000


def test_an_overdraft_is_accepted_and_logged(ho_api, ho_credit_batch, ho_export_path, caplog):
    _send(ho_api, ho_export_path, ho_credit_batch("i1", [("issue", FIRST, 500, LATER)]))

    with caplog.at_level(logging.WARNING, logger="headoffice.credit_notes"):
        _send(ho_api, ho_export_path, ho_credit_batch("s1", [("spend", FIRST, 800)], "CAISSE02"))

    assert _balances(ho_api) == {}
    assert any(
        FIRST in record.getMessage() and "overdrawn" in record.getMessage() for record in caplog.records
    )


def test_cancelled_tickets_and_other_methods_move_nothing(
    ho_api, ho_credit_batch, ho_batch, ho_export_path, ho_count
):
    batch = ho_credit_batch("c1", [("issue", FIRST, 1000, LATER)])
    batch["days"][0]["tickets"][0]["status"] = "cancelled"
    _send(ho_api, ho_export_path, batch)
    _send(ho_api, ho_export_path, ho_batch())  # cash, card and voucher payments only

    assert _snapshot(ho_api)["credit_notes"] == []
    assert ho_count(CreditNote) == 0


def test_concurrent_batches_of_two_registers_add_up(ho_app, ho_api, ho_credit_batch, ho_export_path):
    # A note nobody has issued yet (every batch races to create its row), and one issued.
    _send(ho_api, ho_export_path, ho_credit_batch("i1", [("issue", SECOND, 5000, LATER)]))
    batches = [
        ho_credit_batch(
            f"s{n}", [("spend", FIRST, 100), ("spend", SECOND, 100)], ("CAISSE01", "CAISSE02")[n % 2]
        )
        for n in range(4)
    ]
    statuses: list[int] = []
    start = threading.Barrier(len(batches))

    def send(batch):
        client = ho_app.test_client()
        start.wait()
        response = client.put(
            ho_export_path(batch), json=batch, headers={"Authorization": "Bearer demo-box-token"}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send, args=(batch,)) for batch in batches]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _send(ho_api, ho_export_path, ho_credit_batch("i2", [("issue", FIRST, 1000, LATER)]))

    assert statuses == [201] * 4
    assert _balances(ho_api) == {FIRST: 600, SECOND: 4600}


def _refund(batch) -> dict:
    return batch["days"][0]["tickets"][0]["payments"][0]


@pytest.mark.parametrize(
    ("change", "words"),
    [
        (lambda p: p.update(reference=None), "reference must be the credit note's 13-digit code"),
        (lambda p: p.update(reference="99123"), "13-digit code, not '99123'"),
        (lambda p: p.pop("expires_on"), "expires_on must be a date (YYYY-MM-DD)"),
        (lambda p: p.update(expires_on=None), "expires_on must be a date"),
        (lambda p: p.update(expires_on="31/12/2027"), "not '31/12/2027'"),
        (lambda p: p.update(expires_on="2027-02-30"), "no such day"),
    ],
)
def test_a_store_credit_refund_it_cannot_book_is_400(
    change, words, ho_api, ho_credit_batch, ho_export_path, ho_count
):
    batch = ho_credit_batch("i1", [("issue", FIRST, 1000, LATER)])
    change(_refund(batch))

    # The contract allows a null reference or a missing expiry on payments in general.
    response = ho_api.put(ho_export_path(batch), json=batch, request_valid=None)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_batch"
    assert "days[0].tickets[0].payments[0]" in response.json["message"]
    assert words in response.json["message"]
    assert ho_count(ReceivedBatch) == 0
    assert ho_count(CreditNote) == 0


def test_a_store_credit_sale_without_its_code_is_400(ho_api, ho_credit_batch, ho_export_path, ho_count):
    batch = ho_credit_batch("s1", [("spend", FIRST, 300)])
    _refund(batch)["reference"] = None

    response = ho_api.put(ho_export_path(batch), json=batch)

    assert response.status_code == 400
    assert "in store credit (AV)" in response.json["message"]
    assert ho_count(ReceivedBatch) == 0
