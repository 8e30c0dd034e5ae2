"""Receiving an export batch from a box, exactly once, with the credit notes it moves, the
titres-service it took and the safe movements it made.

A day is held once. A box restored from a backup taken before its last export sends days
head office already holds, under a new batch id: those whose content is the same (canonical
JSON) are acknowledged as already held, not refused and not stored twice; only a day with
other content is a conflict (409 day_conflict)."""

import json
import uuid as uuid_module
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from headoffice.canonical import canonical_json, sha256_hex
from headoffice.chains import flag_register, store
from headoffice.credit_notes import book_moves, moves_by_code, store_credit_codes
from headoffice.database import begin_write
from headoffice.day_figures import day_rows, store_figures
from headoffice.errors import ApiError
from headoffice.export_checks import check_batch, check_store_credit
from headoffice.extensions import db
from headoffice.integrity import IntegrityRefused, check_chains
from headoffice.models import ReceivedBatch, ReceivedDay
from headoffice.pulling import number_batch
from headoffice.safe import book_safe, safe_moves
from headoffice.timeutil import utcnow
from headoffice.titres import book_uses, titre_uses


@dataclass(frozen=True)
class Target:
    """The register a batch is for, as plain values (they outlive the read transaction)."""

    shop_id: int
    shop_code: str
    register_id: int
    register_code: str
    timezone: str  # the shop's: a day counts in the summary for the date it was opened there


@dataclass(frozen=True)
class Receipt:
    batch_id: str
    received_at: datetime
    day_count: int
    replayed: bool
    # Days of this batch head office already held, with the same content, in another batch
    # (day uuid → that batch): acknowledged, not stored again.
    already_held: dict[str, str] = field(default_factory=dict)


def receive_export(target: Target, batch_id: str, body, *, retry_race: bool = True) -> Receipt:
    sent_body = body
    days = check_batch(body, batch_id, target.register_code, target.shop_code)
    # Idempotency is on the canonical body as sent, whatever part of it is stored.
    digest = sha256_hex(canonical_json(body))

    original_days = body["days"]
    begin_write(db.session)
    plan = None
    if db.session.get(ReceivedBatch, batch_id) is None:  # a replay is answered as it was
        try:
            plan = check_chains(target.register_id, target.register_code, body)
        except IntegrityRefused as refused:
            db.session.rollback()  # nothing of the batch is stored; the flag is
            flag_register(target.register_id, refused, batch_id)
            raise
    earlier, held = _earlier_outcome(batch_id, digest, original_days)
    if earlier is not None:
        if plan is None or not (plan.records or plan.key_event):
            db.session.rollback()
            return earlier
        # Every day already held, but records head office lacks (another chain moved on).
        try:
            store(plan, batch_id)
            db.session.commit()
        except IntegrityError:
            db.session.rollback()
            if retry_race:
                return receive_export(target, batch_id, sent_body, retry_race=False)
            raise
        return earlier
    if held:  # store what is new; every day stays in exactly one stored batch
        days = [day for day in days if day["day_uuid"] not in held]
        body = {**body, "days": [day for day in body["days"] if _uuid(day) not in held]}
    text = canonical_json(body)
    try:
        # Only for a new batch: one received before is answered as it was then, even if
        # the shop's methods changed since. Days already held booked their notes already.
        moves = moves_by_code(check_store_credit(body["days"], store_credit_codes(target.shop_id)))
        uses = titre_uses(body["days"])
        safe = safe_moves(body["days"])
        figures = day_rows(body["days"], target.shop_id, target.timezone, target.register_code)
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
        stored = [ReceivedDay(batch_id=batch_id, register_code=target.register_code, **day) for day in days]
        db.session.add_all(stored)
        # The days go in before the credit notes: a day received in another batch fails
        # here, before any balance moves, and the whole transaction is rolled back anyway.
        db.session.flush()
        store_figures(figures, {day.day_uuid: day.id for day in stored})
        book_moves(target.shop_id, target.register_code, batch_id, moves)
        book_uses(target.shop_id, target.register_code, batch_id, uses)
        book_safe(target.shop_id, safe)  # head office's safe: the movements of new days only
        if plan is not None:  # the signed records, with the days they sign
            store(plan, batch_id)
        number_batch(batch_id)  # last: it waits for batches committing before this one
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        # Another request stored this batch, or one of its days, since our check.
        earlier, _held = _earlier_outcome(batch_id, digest, original_days)
        db.session.rollback()
        if earlier is not None:
            return earlier
        if retry_race:  # another batch brought one of these days meanwhile: judge again
            return receive_export(target, batch_id, sent_body, retry_race=False)
        raise
    return Receipt(batch_id, received_at, len(days) + len(held), replayed=False, already_held=held)


def _uuid(day: dict) -> str:
    return str(uuid_module.UUID(day["uuid"]))


def _earlier_outcome(batch_id: str, digest: str, sent_days: list[dict]) -> tuple[Receipt | None, dict]:
    """(a replay receipt, {}) — or a 409 — or (None, the days already held elsewhere with
    the same content) when this batch id was not received yet.

    The days are read before the batch: under PostgreSQL's READ COMMITTED each statement
    sees the latest commits, and an identical PUT committing between the two reads must
    look like a replay, not like its own days received "in another batch"."""
    day_uuids = [_uuid(day) for day in sent_days]
    clashes = dict(
        db.session.execute(
            select(ReceivedDay.day_uuid, ReceivedDay.batch_id).where(ReceivedDay.day_uuid.in_(day_uuids))
        ).all()
    )
    stored = db.session.get(ReceivedBatch, batch_id)
    if stored is not None:
        if stored.body_sha256 != digest:
            raise ApiError(
                409,
                "batch_conflict",
                f"Batch {batch_id} was already received with another body; nothing stored.",
            )
        held = {day: other for day, other in clashes.items() if other != batch_id}
        return Receipt(
            stored.batch_id,
            stored.received_at,
            stored.day_count + len(held),
            replayed=True,
            already_held=held,
        ), {}
    if not clashes:
        return None, {}
    held_content = _held_days(set(clashes.values()))
    differing = [
        day
        for day, sent in zip(day_uuids, sent_days)
        if day in clashes and canonical_json(sent) != held_content.get(day)
    ]
    if differing:
        named = ", ".join(f"{day} (batch {clashes[day]})" for day in differing)
        raise ApiError(
            409,
            "day_conflict",
            f"Day(s) already received in another batch with other content: {named}; nothing stored.",
            days=[{"day_uuid": day, "batch_id": clashes[day]} for day in differing],
        )
    held = {day: clashes[day] for day in day_uuids if day in clashes}
    if len(held) < len(day_uuids):
        return None, held
    # Every day is already here, as sent: acknowledged, nothing to store.
    received_at = max(
        db.session.scalars(
            select(ReceivedBatch.received_at).where(ReceivedBatch.batch_id.in_(set(held.values())))
        )
    )
    return Receipt(batch_id, received_at, len(day_uuids), replayed=True, already_held=held), {}


def _held_days(batch_ids: set[str]) -> dict[str, str]:
    """Canonical JSON of every day the given stored batches hold, by day uuid."""
    found = {}
    for body in db.session.scalars(select(ReceivedBatch.body).where(ReceivedBatch.batch_id.in_(batch_ids))):
        for day in json.loads(body)["days"]:
            found[_uuid(day)] = canonical_json(day)
    return found
