"""What head office's tools read back: the batches the boxes sent, whole or a page at a time."""

import json
from collections import defaultdict
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from headoffice.counters import EXPORT, next_value
from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay, Shop
from headoffice.timeutil import to_rfc3339

MAX_PAGE = 1000
DEFAULT_PAGE = 100


@dataclass(frozen=True)
class Page:
    """A page of the receipt order: at most `limit` batches whose cursor is after `after`."""

    after: int = 0
    limit: int = DEFAULT_PAGE


def number_batch(batch_id: str) -> None:
    """Give a newly stored batch its place in the receipt order, in the caller's transaction."""
    seq = next_value(db.session, EXPORT, start=_highest_seq)
    db.session.execute(update(ReceivedBatch).where(ReceivedBatch.batch_id == batch_id).values(seq=seq))


def _highest_seq(session: Session) -> int:
    # The counter is created on first use; a database upgraded by init-db has numbered batches.
    return session.scalar(select(func.coalesce(func.max(ReceivedBatch.seq), 0)))


def _summary_query():
    return select(
        ReceivedBatch.batch_id,
        ReceivedBatch.register_code,
        Shop.code.label("shop_code"),
        ReceivedBatch.received_at,
        ReceivedBatch.day_count,
        ReceivedBatch.seq,
    ).join(Shop, Shop.id == ReceivedBatch.shop_id)


def list_exports(
    register_code: str | None = None, since: datetime | None = None, page: Page | None = None
) -> dict:
    """{"exports": [...]}: every batch newest first, or with a page, the next `limit` batches
    in the order they were received, oldest first, with the cursor to ask for the rest."""
    query = _summary_query()
    if register_code is not None:
        query = query.where(ReceivedBatch.register_code == register_code)
    if since is not None:
        query = query.where(ReceivedBatch.received_at >= since)
    if page is None:  # as before paging (contract 1.4.0): all of them
        rows = db.session.execute(
            query.order_by(ReceivedBatch.received_at.desc(), ReceivedBatch.batch_id.desc())
        ).all()
        return {"exports": _summaries(rows)}
    rows = db.session.execute(
        query.where(ReceivedBatch.seq > page.after).order_by(ReceivedBatch.seq).limit(page.limit + 1)
    ).all()
    more = len(rows) > page.limit
    rows = rows[: page.limit]
    return {
        "exports": _summaries(rows),
        # Kept by a follower even from an empty page: the next call starts from there.
        "next_after": str(rows[-1].seq if rows else page.after),
        "has_more": more,
    }


def _summaries(rows) -> list[dict]:
    days = _day_uuids([row.batch_id for row in rows])
    return [_summary(row, days[row.batch_id]) for row in rows]


def get_export(batch_id: str) -> dict | None:
    row = db.session.execute(
        _summary_query().add_columns(ReceivedBatch.body).where(ReceivedBatch.batch_id == batch_id)
    ).first()
    if row is None:
        return None
    summary = _summary(row, _day_uuids([batch_id])[batch_id])
    return {**summary, "batch": json.loads(row.body)}


def _summary(row, day_uuids: list[str]) -> dict:
    return {
        "batch_id": row.batch_id,
        "register_code": row.register_code,
        "shop_code": row.shop_code,
        "received_at": to_rfc3339(row.received_at),
        "day_count": row.day_count,
        "day_uuids": day_uuids,
        # Since 1.5.0: where this batch is in the receipt order (`after` of the next page).
        **({"cursor": str(row.seq)} if row.seq is not None else {}),
    }


def _day_uuids(batch_ids: list[str]) -> dict[str, list[str]]:
    found: dict[str, list[str]] = defaultdict(list)
    # Chunked: SQLite caps the number of bound parameters in one IN (...).
    for start in range(0, len(batch_ids), 500):
        chunk = batch_ids[start : start + 500]
        for batch_id, day_uuid in db.session.execute(
            select(ReceivedDay.batch_id, ReceivedDay.day_uuid)
            .where(ReceivedDay.batch_id.in_(chunk))
            .order_by(ReceivedDay.batch_id, ReceivedDay.number, ReceivedDay.day_uuid)
        ):
            found[batch_id].append(day_uuid)
    return found
