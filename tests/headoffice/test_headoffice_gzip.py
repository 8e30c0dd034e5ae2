"""Export PUTs sent gzip-compressed (contract 1.2.0): accepted, judged on the JSON, and
bounded — malformed gzip is a 400, a gzip bomb a 413, an unknown encoding a 415; none of
them stores anything."""

import gzip
import json

import pytest

from headoffice.canonical import canonical_sha256
from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay

GZIP = {"Content-Type": "application/json", "Content-Encoding": "gzip"}


def _gz(batch) -> bytes:
    return gzip.compress(json.dumps(batch).encode())


def test_a_gzip_batch_is_stored_as_its_json_and_a_plain_replay_is_a_replay(
    ho_api, ho_batch, ho_export_path, ho_app, ho_count
):
    batch = ho_batch()
    response = ho_api.put(ho_export_path(batch), data=_gz(batch), headers=GZIP)
    assert response.status_code == 201, response.json
    with ho_app.app_context():
        stored = db.session.get(ReceivedBatch, batch["batch_id"])
        assert json.loads(stored.body) == batch
        assert stored.body_sha256 == canonical_sha256(batch)
    # Idempotency is on the canonical JSON: plain, or gzip again, is the same batch.
    assert ho_api.put(ho_export_path(batch), json=batch).json["replayed"] is True
    assert ho_api.put(ho_export_path(batch), data=_gz(batch), headers=GZIP).status_code == 200
    assert ho_count(ReceivedBatch) == 1 and ho_count(ReceivedDay) == 2


@pytest.mark.parametrize(
    ("body", "why"),
    [
        (b"this is not gzip at all", "not valid gzip"),
        (None, "truncated"),  # the first half of a real gzip body
        (b"", "truncated"),
    ],
)
def test_malformed_gzip_is_400_and_stores_nothing(body, why, ho_api, ho_batch, ho_export_path, ho_count):
    batch = ho_batch()
    if body is None:
        whole = _gz(batch)
        body = whole[: len(whole) // 2]
    response = ho_api.put(ho_export_path(batch), data=body, headers=GZIP, request_valid=None)
    assert response.status_code == 400
    assert response.json["error"] == "invalid_gzip" and why in response.json["message"]
    assert ho_count(ReceivedBatch) == 0


def test_a_gzip_bomb_is_413_before_it_is_inflated_whole(ho_api, ho_batch, ho_export_path, ho_app, ho_count):
    ho_app.config["MAX_EXPORT_BYTES"] = 1024 * 1024
    batch = ho_batch()
    # 20 MB of spaces after the JSON: about 20 kB compressed, valid JSON once inflated.
    bomb = gzip.compress(json.dumps(batch).encode() + b" " * (20 * 1024 * 1024), compresslevel=9)
    assert len(bomb) < 100_000

    response = ho_api.put(ho_export_path(batch), data=bomb, headers=GZIP, request_valid=None)

    assert response.status_code == 413
    assert response.json["error"] == "body_too_large" and "1048576 bytes" in response.json["message"]
    assert ho_count(ReceivedBatch) == 0


def test_a_plain_body_over_the_limit_is_413(ho_api, ho_batch, ho_export_path, ho_app, ho_count):
    ho_app.config["MAX_EXPORT_BYTES"] = 1000
    batch = ho_batch()
    response = ho_api.put(ho_export_path(batch), json=batch, request_valid=None)
    assert response.status_code == 413
    assert ho_count(ReceivedBatch) == 0


def test_an_unknown_encoding_is_415(ho_api, ho_batch, ho_export_path, ho_count):
    batch = ho_batch()
    response = ho_api.put(
        ho_export_path(batch),
        data=_gz(batch),
        request_valid=False,
        headers={"Content-Type": "application/json", "Content-Encoding": "br"},
    )
    assert response.status_code == 415
    assert response.json["error"] == "unsupported_encoding"
    assert ho_count(ReceivedBatch) == 0
