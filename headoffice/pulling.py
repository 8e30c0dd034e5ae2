"""What head office's tools read back: the batches the boxes sent."""

import json
from collections import defaultdict
from datetime import datetime

from sqlalchemy import select

from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay, Shop
from headoffice.timeutil import to_rfc3339


def list_exports(register_code: str | None = None, since: datetime | None = None) -> list[dict]:
    query = (
        select(
            ReceivedBatch.batch_id,
            ReceivedBatch.register_code,
            Shop.code.label("shop_code"),
            ReceivedBatch.received_at,
            ReceivedBatch.day_count,
        )
        .join(Shop, Shop.id == ReceivedBatch.shop_id)
        .order_by(ReceivedBatch.received_at.desc(), ReceivedBatch.batch_id.desc())
    )
    if register_code is not None:
        query = query.where(ReceivedBatch.register_code == register_code)
    if since is not None:
        query = query.where(ReceivedBatch.received_at >= since)
    rows = db.session.execute(query).all()
    days = _day_uuids([row.batch_id for row in rows])
    return [_summary(row, days[row.batch_id]) for row in rows]


def get_export(batch_id: str) -> dict | None:
    row = db.session.execute(
        select(
            ReceivedBatch.batch_id,
            ReceivedBatch.register_code,
            Shop.code.label("shop_code"),
            ReceivedBatch.received_at,
            ReceivedBatch.day_count,
            ReceivedBatch.body,
        )
        .join(Shop, Shop.id == ReceivedBatch.shop_id)
        .where(ReceivedBatch.batch_id == batch_id)
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
