"""GET /api/v1/exports and /exports/{batch_id}: head office reads what the boxes sent."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import update

from headoffice.extensions import db
from headoffice.models import ReceivedBatch


@pytest.fixture
def three_batches(ho_api, ho_batch, ho_export_path, ho_app):
    """a and b from CAISSE01, c from CAISSE02, received one hour apart (a oldest)."""
    batches = {
        "a": ho_batch(seed="a"),
        "b": ho_batch(seed="b"),
        "c": ho_batch(seed="c", register_code="CAISSE02"),
    }
    for batch in batches.values():
        assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
    base = datetime(2026, 11, 21, 19, 0, tzinfo=UTC)
    with ho_app.app_context():
        for hours, batch in enumerate(batches.values()):
            db.session.execute(
                update(ReceivedBatch)
                .where(ReceivedBatch.batch_id == batch["batch_id"])
                .values(received_at=base + timedelta(hours=hours))
            )
        db.session.commit()
    return batches


def test_lists_batches_newest_first(ho_api, three_batches):
    response = ho_api.get("/api/v1/exports", token="headoffice")

    assert response.status_code == 200
    exports = response.json["exports"]
    assert [e["batch_id"] for e in exports] == [three_batches[s]["batch_id"] for s in "cba"]
    newest = exports[0]
    assert newest["register_code"] == "CAISSE02"
    assert newest["shop_code"] == "BOUTIQUE01"
    assert newest["received_at"] == "2026-11-21T21:00:00Z"
    assert newest["day_count"] == 2
    assert newest["day_uuids"] == [day["uuid"] for day in three_batches["c"]["days"]]


def test_filters_by_register(ho_api, three_batches):
    exports = ho_api.get("/api/v1/exports", token="headoffice", query={"register": "CAISSE01"}).json[
        "exports"
    ]
    assert [e["batch_id"] for e in exports] == [three_batches[s]["batch_id"] for s in "ba"]
    assert ho_api.get("/api/v1/exports", token="headoffice", query={"register": "NOPE"}).json == {
        "exports": []
    }


@pytest.mark.parametrize(
    ("since", "expected"),
    [
        ("2026-11-21T20:00:00Z", "cb"),  # at or after: the batch received at 20:00 is in
        ("2026-11-21T21:00:01Z", ""),
        ("2026-11-21T20:30:00+01:00", "cb"),  # 19:30 UTC
        ("2026-11-20T00:00:00Z", "cba"),
    ],
)
def test_filters_by_since(since, expected, ho_api, three_batches):
    exports = ho_api.get("/api/v1/exports", token="headoffice", query={"since": since}).json["exports"]
    assert [e["batch_id"] for e in exports] == [three_batches[s]["batch_id"] for s in expected]


def test_combines_filters(ho_api, three_batches):
    exports = ho_api.get(
        "/api/v1/exports", token="headoffice", query={"register": "CAISSE01", "since": "2026-11-21T19:30:00Z"}
    ).json["exports"]
    assert [e["batch_id"] for e in exports] == [three_batches["b"]["batch_id"]]


@pytest.mark.parametrize("since", ["yesterday", "2026-13-01T00:00:00Z", "1700000000"])
def test_a_bad_since_is_400(since, ho_api):
    response = ho_api.get("/api/v1/exports", token="headoffice", query={"since": since}, request_valid=False)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_since"


def test_gets_one_batch_whole(ho_api, three_batches):
    batch = three_batches["b"]

    response = ho_api.get(f"/api/v1/exports/{batch['batch_id']}", token="headoffice")

    assert response.status_code == 200
    found = response.json
    assert found["batch"] == batch
    assert found["batch_id"] == batch["batch_id"]
    assert found["received_at"] == "2026-11-21T20:00:00Z"
    assert found["day_uuids"] == [day["uuid"] for day in batch["days"]]


def test_an_unknown_batch_is_404(ho_api):
    response = ho_api.get("/api/v1/exports/2b1f0a9e-7d55-4c1e-8f3a-9b0c6d5e4f32", token="headoffice")

    assert response.status_code == 404
    assert response.json["error"] == "batch_not_found"


def test_a_batch_id_that_is_not_a_uuid_is_404(ho_api):
    response = ho_api.get("/api/v1/exports/not-a-uuid", token="headoffice", request_valid=False)

    assert response.status_code == 404


def test_an_empty_list_when_nothing_was_received(ho_api):
    assert ho_api.get("/api/v1/exports", token="headoffice").json == {"exports": []}
