"""Receiving an export batch from a box, exactly once, with the credit notes it moves."""
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from headoffice.canonical import canonical_json, sha256_hex
from headoffice.credit_notes import book_moves, moves_by_code, store_credit_codes
from headoffice.database import begin_write
from headoffice.errors import ApiError
from headoffice.export_checks import check_batch, check_store_credit
from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay
from headoffice.timeutil import utcnow


@dataclass(frozen=True)
class Target:
    """The register a batch is for, as plain values (they outlive the read transaction)."""

    shop_id: int
    shop_code: str
    register_id: int
    register_code: str


@dataclass(frozen=True)
class Receipt:
    batch_id: str
    received_at: datetime
    day_count: int
    replayed: bool


def receive_export(target: Target, batch_id: str, body) -> Receipt:
    days = check_batch(body, batch_id, target.register_code, target.shop_code)
    day_uuids = [day["day_uuid"] for day in days]
    text = canonical_json(body)
    digest = sha256_hex(text)

    begin_write(db.session)
    earlier = _earlier_outcome(batch_id, digest, day_uuids)
    if earlier is not None:
        db.session.rollback()
        return earlier
    try:
        # Only for a new batch: one received before is answered as it was then, even if
        # the shop's methods changed since.
        moves = moves_by_code(check_store_credit(body["days"], store_credit_codes(target.shop_id)))
    except ApiError:
        db.session.rollback()
        raise

    received_at = utcnow()
    db.session.add(
        ReceivedBatch(
            batch_id=batch_id,
            shop_id=target.shop_id,
            register_id=target.register_id,
            register_code=target.register_code,
            body_sha256=digest,
            body=text,
            received_at=received_at,
            day_count=len(days),
        )
    )
    try:
        # The batch row goes first: its primary key is what serialises two identical PUTs
        # on databases without SQLite's single writer (PostgreSQL).
        db.session.flush()
        db.session.add_all(
            ReceivedDay(batch_id=batch_id, register_code=target.register_code, **day)
            for day in days
        )
        # The days go in before the credit notes: a day received in another batch fails
        # here, before any balance moves, and the whole transaction is rolled back anyway.
        db.session.flush()
        book_moves(target.shop_id, target.register_code, batch_id, moves)
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # Another request stored this batch, or one of its days, since our check.
        earlier = _earlier_outcome(batch_id, digest, day_uuids)
        db.session.rollback()
        if earlier is None:
            raise
        return earlier
    return Receipt(batch_id, received_at, len(days), replayed=False)


def _earlier_outcome(batch_id: str, digest: str, day_uuids: list[str]) -> Receipt | None:
    """A replay receipt, a 409, or None when nothing of this batch was received yet.

    The days are read before the batch: under PostgreSQL's READ COMMITTED each statement
    sees the latest commits, and an identical PUT committing between the two reads must
    look like a replay, not like its own days received "in another batch"."""
    clashes = dict(db.session.execute(
        select(ReceivedDay.day_uuid, ReceivedDay.batch_id).where(ReceivedDay.day_uuid.in_(day_uuids))
    ).all())
    stored = db.session.get(ReceivedBatch, batch_id)
    if stored is not None:
        if stored.body_sha256 != digest:
            raise ApiError(
                409,
                "batch_conflict",
                f"Batch {batch_id} was already received with another body; nothing stored.",
            )
        return Receipt(stored.batch_id, stored.received_at, stored.day_count, replayed=True)
    if clashes:
        named = ", ".join(f"{day} (batch {clashes[day]})" for day in day_uuids if day in clashes)
        raise ApiError(
            409,
            "day_conflict",
            f"Day(s) already received in another batch: {named}; nothing stored.",
        )
    return None
