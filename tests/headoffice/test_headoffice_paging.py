"""GET /api/v1/exports?after=…&limit=… (contract 1.5.0): an accounting system follows the
batches a page at a time, in the order head office received them."""

import threading
from datetime import UTC, datetime

import pytest
from sqlalchemy import select, text, update

from headoffice.counters import EXPORT, next_value
from headoffice.extensions import db
from headoffice.models import ReceivedBatch
from tests.support.processes import wait_until

EXPORTS = "/api/v1/exports"


def _receive(ho_api, ho_batch, ho_export_path, seeds, register_code="CAISSE01") -> list[str]:
    ids = []
    for seed in seeds:
        batch = ho_batch(seed=seed, register_code=register_code)
        assert ho_api.put(ho_export_path(batch), json=batch).status_code == 201
        ids.append(batch["batch_id"])
    return ids


def _page(ho_api, **query):
    response = ho_api.get(EXPORTS, token="headoffice", query={k: str(v) for k, v in query.items()})
    assert response.status_code == 200, response.json
    return response.json


def test_pages_walk_every_batch_once_in_receipt_order(ho_api, ho_batch, ho_export_path):
    sent = _receive(ho_api, ho_batch, ho_export_path, "abcdefg")

    seen, after, pages = [], "0", []
    while True:
        page = _page(ho_api, after=after, limit=3)
        pages.append([e["batch_id"] for e in page["exports"]])
        seen += pages[-1]
        after = page["next_after"]
        if not page["has_more"]:
            break

    assert seen == sent  # oldest first, none twice, none missing
    assert [len(p) for p in pages] == [3, 3, 1]
    assert page["exports"][-1]["cursor"] == after
    # The unpaged list is unchanged: every batch, newest first.
    assert [e["batch_id"] for e in _page(ho_api)["exports"]] == sent[::-1]


def test_a_follower_resumes_from_its_last_cursor(ho_api, ho_batch, ho_export_path):
    first = _receive(ho_api, ho_batch, ho_export_path, "ab")
    page = _page(ho_api, limit=10)
    assert [e["batch_id"] for e in page["exports"]] == first and page["has_more"] is False

    empty = _page(ho_api, after=page["next_after"], limit=10)
    assert empty["exports"] == [] and empty["next_after"] == page["next_after"]

    later = _receive(ho_api, ho_batch, ho_export_path, "c", register_code="CAISSE02")
    resumed = _page(ho_api, after=empty["next_after"])  # default limit
    assert [e["batch_id"] for e in resumed["exports"]] == later


def test_filters_apply_to_pages(ho_api, ho_batch, ho_export_path):
    ones = _receive(ho_api, ho_batch, ho_export_path, "ab")
    _receive(ho_api, ho_batch, ho_export_path, "c", register_code="CAISSE02")
    ones += _receive(ho_api, ho_batch, ho_export_path, "d")

    page = _page(ho_api, register="CAISSE01", limit=2)
    rest = _page(ho_api, register="CAISSE01", limit=2, after=page["next_after"])

    assert [e["batch_id"] for e in page["exports"] + rest["exports"]] == ones
    assert page["has_more"] is True and rest["has_more"] is False


@pytest.mark.parametrize("after", ["abc", "-1", "1.5", "12345678901234567890", " 1"])
def test_a_malformed_cursor_is_400(after, ho_api):
    response = ho_api.get(EXPORTS, token="headoffice", query={"after": after}, request_valid=False)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_cursor"
    assert "next_after" in response.json["message"]


@pytest.mark.parametrize("limit", ["0", "1001", "ten", "-5", "99999999999999"])
def test_a_limit_out_of_bounds_is_400(limit, ho_api):
    response = ho_api.get(EXPORTS, token="headoffice", query={"limit": limit}, request_valid=False)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_limit"
    assert "1 to 1000" in response.json["message"]


def test_init_db_numbers_batches_received_before_paging(ho_api, ho_batch, ho_export_path, ho_app, ho_runner):
    sent = _receive(ho_api, ho_batch, ho_export_path, "abc")
    with ho_app.app_context():  # received b, c, a
        for hour, batch_id in zip((12, 10, 11), sent):
            db.session.execute(
                update(ReceivedBatch)
                .where(ReceivedBatch.batch_id == batch_id)
                .values(received_at=datetime(2026, 11, 21, hour, 0, tzinfo=UTC))
            )
        db.session.commit()
    with ho_app.app_context(), db.engine.begin() as connection:  # as a 1.4 database: no cursor
        connection.execute(text("DROP INDEX ix_received_batch_seq"))
        connection.execute(text("ALTER TABLE received_batch DROP COLUMN seq"))
        connection.execute(text("DELETE FROM counter"))
    with ho_app.app_context():
        db.engine.dispose()

    result = ho_runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Column received_batch.seq added." in result.output

    page = _page(ho_api, limit=10)
    assert [e["batch_id"] for e in page["exports"]] == [sent[1], sent[2], sent[0]]
    newer = _receive(ho_api, ho_batch, ho_export_path, "d")
    assert [e["batch_id"] for e in _page(ho_api, after=page["next_after"])["exports"]] == newer
    with ho_app.app_context():
        assert None not in db.session.scalars(select(ReceivedBatch.seq)).all()


def test_a_batch_is_numbered_only_once_the_one_numbered_before_it_committed(
    ho_app, ho_backend, ho_api, ho_batch, ho_export_path
):
    """Why a follower never skips a batch: the second number waits for the first transaction."""
    if ho_backend != "postgresql":
        pytest.skip("SQLite has one writer at a time: numbers follow commits by construction")
    _receive(ho_api, ho_batch, ho_export_path, "a")  # the counter exists
    numbered, release, values = threading.Event(), threading.Event(), {}

    def first():
        with ho_app.app_context():
            values["first"] = next_value(db.session, EXPORT)
            numbered.set()
            release.wait(30)
            db.session.commit()

    def second():
        numbered.wait(30)
        with ho_app.app_context():
            values["second"] = next_value(db.session, EXPORT)
            db.session.commit()

    threads = [threading.Thread(target=first), threading.Thread(target=second)]
    for thread in threads:
        thread.start()
    with ho_app.app_context():

        def waiting() -> int:
            # A new transaction each time: PostgreSQL keeps one view of pg_stat_activity per transaction.
            db.session.rollback()
            return db.session.scalar(
                text("SELECT count(*) FROM pg_stat_activity WHERE wait_event_type = 'Lock'")
            )

        wait_until(waiting, what="the second numbering to wait for the first transaction")
        db.session.rollback()
    assert "second" not in values  # still waiting while the first is not committed
    release.set()
    for thread in threads:
        thread.join(30)

    assert values["second"] == values["first"] + 1
