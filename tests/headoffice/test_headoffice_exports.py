"""PUT /api/v1/registers/{code}/exports/{batch_id}: each batch stored once, whole."""

import json
import threading

import pytest

from headoffice.canonical import canonical_sha256
from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay


def test_a_realistic_batch_is_stored_with_its_days(ho_api, ho_batch, ho_export_path, ho_app, ho_count):
    batch = ho_batch()

    response = ho_api.put(ho_export_path(batch), json=batch)

    assert response.status_code == 201
    ack = response.json
    assert ack["batch_id"] == batch["batch_id"]
    assert ack["day_count"] == 2
    assert ack["replayed"] is False
    assert ho_count(ReceivedBatch) == 1
    assert ho_count(ReceivedDay) == 2
    with ho_app.app_context():
        stored = db.session.get(ReceivedBatch, batch["batch_id"])
        assert json.loads(stored.body) == batch
        assert stored.body_sha256 == canonical_sha256(batch)
        assert stored.register_code == "CAISSE01"
        days = db.session.scalars(db.select(ReceivedDay).order_by(ReceivedDay.number)).all()
        assert [(d.number, d.ticket_count, d.sales_total_cents) for d in days] == [(1, 2, 1656), (2, 2, 500)]
        assert days[0].opened_at.isoformat() == "2026-11-20T07:58:00+00:00"


def test_replay_answers_200_and_stores_nothing(ho_api, ho_batch, ho_export_path, ho_count):
    batch = ho_batch()
    first = ho_api.put(ho_export_path(batch), json=batch)

    replay = ho_api.put(ho_export_path(batch), json=batch)

    assert replay.status_code == 200
    assert replay.json == {**first.json, "replayed": True}
    assert ho_count(ReceivedBatch) == 1
    assert ho_count(ReceivedDay) == 2


def test_replay_is_judged_on_canonical_json_not_bytes(ho_api, ho_batch, ho_export_path):
    batch = ho_batch()
    ho_api.put(ho_export_path(batch), json=batch)
    reordered = json.dumps(dict(reversed(list(batch.items()))), indent=2).encode()

    replay = ho_api.put(ho_export_path(batch), data=reordered, headers={"Content-Type": "application/json"})

    assert replay.status_code == 200
    assert replay.json["replayed"] is True


def test_same_id_with_another_body_is_409_and_changes_nothing(ho_api, ho_batch, ho_export_path, ho_app):
    batch = ho_batch()
    ho_api.put(ho_export_path(batch), json=batch)
    altered = ho_batch()
    altered["days"][0]["sales_total_cents"] += 100

    response = ho_api.put(ho_export_path(altered), json=altered)

    assert response.status_code == 409
    assert response.json["error"] == "batch_conflict"
    assert batch["batch_id"] in response.json["message"]
    with ho_app.app_context():
        stored = db.session.get(ReceivedBatch, batch["batch_id"])
        assert json.loads(stored.body) == batch
        assert (
            db.session.scalar(db.select(ReceivedDay.sales_total_cents).where(ReceivedDay.number == 1)) == 1656
        )


OTHER_ID = "0b6f3a52-43c5-4d0b-a5f2-7cba1e9b0a11"


def test_days_resent_with_the_same_content_under_another_batch_id_are_acknowledged(
    ho_api, ho_batch, ho_export_path, ho_count
):
    """A box restored from a backup taken before its last export rebuilds a batch of the
    same days under a new id: acknowledged as already held, stored once."""
    batch = ho_batch(seed="a")
    first = ho_api.put(ho_export_path(batch), json=batch).json
    again = ho_batch(seed="a", batch_id=OTHER_ID)
    again["created_at"] = "2026-11-25T18:00:00Z"  # built later, by the restored box

    for _ in range(2):  # and its own replay answers the same
        response = ho_api.put(ho_export_path(again), json=again)
        assert response.status_code == 200
        ack = response.json
        assert ack["batch_id"] == OTHER_ID and ack["replayed"] is True
        assert ack["day_count"] == 2 and ack["received_at"] == first["received_at"]
        assert ack["already_held"] == [
            {"day_uuid": d["uuid"], "batch_id": batch["batch_id"]} for d in batch["days"]
        ]
    assert ho_count(ReceivedBatch) == 1
    assert ho_count(ReceivedDay) == 2


def test_a_day_resent_with_other_content_under_another_batch_id_is_409(
    ho_api, ho_batch, ho_export_path, ho_count
):
    batch = ho_batch(seed="a")
    ho_api.put(ho_export_path(batch), json=batch)
    # The day was re-closed after a restore: another closing time, so another content.
    again = ho_batch(seed="a", batch_id=OTHER_ID)
    again["days"][1]["closed_at"] = "2026-11-21T19:31:00Z"

    response = ho_api.put(ho_export_path(again), json=again)

    assert response.status_code == 409
    assert response.json["error"] == "day_conflict"
    changed = again["days"][1]["uuid"]
    assert f"{changed} (batch {batch['batch_id']})" in response.json["message"]
    assert again["days"][0]["uuid"] not in response.json["message"]  # the same one is no conflict
    assert response.json["days"] == [{"day_uuid": changed, "batch_id": batch["batch_id"]}]
    assert ho_count(ReceivedBatch) == 1
    assert ho_count(ReceivedDay) == 2


def test_a_batch_of_held_and_new_days_stores_only_the_new_ones(
    ho_api, ho_batch, ho_export_path, ho_count, ho_app
):
    held = ho_batch(seed="a")
    ho_api.put(ho_export_path(held), json=held)
    mixed = ho_batch(seed="b", batch_id=OTHER_ID)
    mixed["days"] = [held["days"][1], *mixed["days"]]

    response = ho_api.put(ho_export_path(mixed), json=mixed)

    assert response.status_code == 201
    assert response.json["day_count"] == 3 and response.json["replayed"] is False
    assert response.json["already_held"] == [
        {"day_uuid": held["days"][1]["uuid"], "batch_id": held["batch_id"]}
    ]
    assert ho_count(ReceivedBatch) == 2
    assert ho_count(ReceivedDay) == 4
    # Pulled back, each day is in exactly one batch.
    pulled = ho_api.get(f"/api/v1/exports/{OTHER_ID}", token="headoffice").json
    assert [d["uuid"] for d in pulled["batch"]["days"]] == [d["uuid"] for d in mixed["days"][1:]]
    assert pulled["day_count"] == 2
    # Idempotency stays on the body as sent: its replay is a replay.
    replay = ho_api.put(ho_export_path(mixed), json=mixed)
    assert replay.status_code == 200
    assert replay.json == {**response.json, "replayed": True}
    assert ho_count(ReceivedBatch) == 2


def test_other_batches_with_new_days_are_stored(ho_api, ho_batch, ho_export_path, ho_count):
    for seed in ("a", "b", "c"):
        batch = ho_batch(seed=seed)
        assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    assert ho_count(ReceivedBatch) == 3
    assert ho_count(ReceivedDay) == 6


def _break(batch, field, value):
    batch[field] = value
    return batch


@pytest.mark.parametrize(
    ("change", "contract_sees_it", "words"),
    [
        (
            lambda b: _break(b, "batch_id", "1e3a6c56-1f6b-4e8e-9a55-0c1c8f5b6d77"),
            False,
            "differs from the URL",
        ),
        (lambda b: _break(b, "register_code", "CAISSE02"), False, "register_code"),
        (lambda b: _break(b, "shop_code", "AUTRE"), False, "shop_code"),
        (lambda b: _break(b, "days", []), True, "days must be a non-empty list"),
        (lambda b: b.pop("box") and b, True, "box"),
        (lambda b: b["days"][1].pop("uuid") and b, True, "days[1] has no uuid"),
        (lambda b: b["days"][0].pop("closed_at") and b, True, "closed_at"),
        (lambda b: b["days"][0].update(uuid="not-a-uuid") or b, True, "not a UUID"),
        (lambda b: b["days"][0].update(ticket_count="2") or b, True, "ticket_count"),
        (lambda b: b["days"][1].update(uuid=b["days"][0]["uuid"]) or b, False, "appears twice"),
        (lambda b: b["days"][0].update(opened_at="yesterday") or b, True, "opened_at"),
    ],
)
def test_a_body_that_breaks_the_contract_is_400_and_stores_nothing(
    change, contract_sees_it, words, ho_api, ho_batch, ho_export_path, ho_count
):
    batch = ho_batch()
    path = ho_export_path(batch)
    broken = change(batch)

    response = ho_api.put(path, json=broken, request_valid=None if not contract_sees_it else False)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_batch"
    assert words in response.json["message"]
    assert ho_count(ReceivedBatch) == 0
    assert ho_count(ReceivedDay) == 0


@pytest.mark.parametrize("body", [b"{not json", b"[1, 2]", b'"text"'])
def test_a_body_that_is_not_a_json_object_is_400(body, ho_api, ho_batch, ho_export_path, ho_count):
    response = ho_api.put(
        ho_export_path(ho_batch()),
        data=body,
        headers={"Content-Type": "application/json"},
        request_valid=False,
    )

    assert response.status_code == 400
    assert response.json["error"] in {"invalid_json", "invalid_batch"}
    assert ho_count(ReceivedBatch) == 0


def test_a_batch_id_that_is_not_a_uuid_is_400(ho_api, ho_batch, ho_count):
    batch = ho_batch()

    response = ho_api.put("/api/v1/registers/CAISSE01/exports/batch-1", json=batch, request_valid=False)

    assert response.status_code == 400
    assert ho_count(ReceivedBatch) == 0


def test_an_unknown_register_is_404(ho_api, ho_batch, ho_export_path, ho_count):
    batch = ho_batch(register_code="CAISSE09")

    response = ho_api.put(ho_export_path(batch), json=batch)

    assert response.status_code == 404
    assert ho_count(ReceivedBatch) == 0


def test_concurrent_identical_puts_store_exactly_one(ho_app, ho_batch, ho_export_path, ho_count):
    batch = ho_batch()
    statuses: list[int] = []
    start = threading.Barrier(4)

    def send():
        client = ho_app.test_client()
        start.wait()
        response = client.put(
            ho_export_path(batch), json=batch, headers={"Authorization": "Bearer demo-box-token"}
        )
        statuses.append(response.status_code)

    threads = [threading.Thread(target=send) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert sorted(statuses) == [200, 200, 200, 201]
    assert ho_count(ReceivedBatch) == 1
    assert ho_count(ReceivedDay) == 2
