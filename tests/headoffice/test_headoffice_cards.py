"""Card methods and card transactions at head office (contract 1.5.0; docs/headoffice.md,
« Card transactions »): the card flag set from the CLI and sent in the snapshot on card
methods only, and a day's card transaction documents accepted with their batch — or refused
whole, naming the field, when head office could not read them."""

import json
import uuid

import pytest

from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay

SNAPSHOT = "/api/v1/registers/{}/snapshot"


def _methods(ho_api) -> dict[str, dict]:
    response = ho_api.get(SNAPSHOT.format("CAISSE01"))
    assert response.status_code == 200
    return {method["code"]: method for method in response.json["payment_methods"]}


def test_the_demo_card_method_is_flagged_and_the_others_keep_their_shape(ho_api):
    methods = _methods(ho_api)
    assert methods["CB"]["is_card"] is True
    assert all("is_card" not in m for code, m in methods.items() if code != "CB")


def test_make_card_flags_a_method_and_refuses_a_credit_note(ho_api, ho_runner):
    result = ho_runner.invoke(args=["make-card", "BOUTIQUE01", "CHQ"])
    assert result.exit_code == 0, result.output
    assert _methods(ho_api)["CHQ"]["is_card"] is True
    refused = ho_runner.invoke(args=["make-card", "BOUTIQUE01", "AV"])
    assert refused.exit_code != 0 and "not a card" in refused.output
    unknown = ho_runner.invoke(args=["make-card", "BOUTIQUE01", "XX"])
    assert unknown.exit_code != 0 and "No payment method" in unknown.output


def _documents(batch) -> list[dict]:
    payment = batch["days"][0]["tickets"][0]["payments"][0]
    by = {"code": "RESP01", "name": "Responsable1 De Caisse"}
    at = batch["days"][0]["closed_at"]
    return [
        {
            "uuid": str(uuid.uuid4()),
            "number": 1,
            "status": "payment_cancel",
            "method_code": payment["method_code"],
            "amount_cents": abs(payment["amount_cents"]),
            "cancels_uuid": payment["uuid"],
            "reason": "Doublon sur le terminal",
            "created_at": at,
            "created_by": by,
        },
        {
            "uuid": str(uuid.uuid4()),
            "number": 2,
            "status": "refund",
            "method_code": "CB",
            "amount_cents": 1200,
            "cancels_uuid": None,
            "reason": "Caisse tombée en panne",
            "created_at": at,
            "created_by": by,
        },
    ]


def test_a_day_with_card_transactions_is_stored_whole(ho_api, ho_batch, ho_export_path, ho_app):
    batch = ho_batch()
    batch["days"][0]["card_transactions"] = _documents(batch)
    response = ho_api.put(ho_export_path(batch), json=batch)
    assert response.status_code == 201, response.json
    with ho_app.app_context():
        stored = json.loads(db.session.get(ReceivedBatch, batch["batch_id"]).body)
    assert [d["status"] for d in stored["days"][0]["card_transactions"]] == ["payment_cancel", "refund"]


@pytest.mark.parametrize(
    ("change", "contract_sees_it", "words"),
    [
        (lambda docs: "none", True, "card_transactions must be a list"),
        (lambda docs: [*docs, "x"], True, "card_transactions[2] must be an object"),
        (lambda docs: [{**docs[0], "uuid": "nope"}], True, "card_transactions[0].uuid"),
        (lambda docs: [{**docs[0], "number": 0}], True, "card_transactions[0].number"),
        (lambda docs: [{**docs[0], "status": "payment"}], True, "card_transactions[0].status"),
        (lambda docs: [{**docs[0], "amount_cents": -5}], True, "card_transactions[0].amount_cents"),
        (lambda docs: [{**docs[0], "amount_cents": 1.5}], True, "card_transactions[0].amount_cents"),
        (lambda docs: [{**docs[0], "cancels_uuid": None}], False, "card_transactions[0].cancels_uuid"),
    ],
)
def test_card_transactions_head_office_cannot_read_are_400_and_store_nothing(
    change, contract_sees_it, words, ho_api, ho_batch, ho_export_path, ho_count
):
    batch = ho_batch()
    batch["days"][0]["card_transactions"] = change(_documents(batch))
    response = ho_api.put(
        ho_export_path(batch), json=batch, request_valid=False if contract_sees_it else None
    )
    assert response.status_code == 400
    assert words in response.json["message"]
    assert ho_count(ReceivedBatch) == 0 and ho_count(ReceivedDay) == 0
