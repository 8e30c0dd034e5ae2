"""The Z archive across a shop's registers: every closed day head office received, newest
first, filtered by register and by the shop's dates; and one day's Z as the box sent it."""

import json
import uuid
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask_babel import gettext as _
from sqlalchemy import select
from sqlalchemy.orm import Session

from headoffice.models import ChainRecord, ReceivedBatch, ReceivedDay, Register, Shop
from headoffice.refusals import NotFound, Refused

PAGE = 50
MAX_RANGE_DAYS = 366


@dataclass(frozen=True)
class ZRow:
    day_uuid: str
    register_code: str
    number: int
    opened_at: datetime
    closed_at: datetime
    ticket_count: int
    sales_total_cents: int
    signed: bool


def check_range(start: date | None, end: date | None) -> None:
    if start and end and end < start:
        raise Refused(_("La date de fin est avant la date de début."))
    if start and end and (end - start).days >= MAX_RANGE_DAYS:
        raise Refused(_("Une recherche couvre au plus %(n)d jours.", n=MAX_RANGE_DAYS))


def _bounds(shop: Shop, start: date | None, end: date | None):
    zone = ZoneInfo(shop.timezone)
    low = datetime.combine(start, time(), zone) if start else None
    high = datetime.combine(end + timedelta(days=1), time(), zone) if end else None
    return low, high


def list_z(
    session: Session,
    shop: Shop,
    *,
    register_code: str = "",
    start: date | None = None,
    end: date | None = None,
    page: int = 0,
) -> tuple[list[ZRow], bool]:
    """(rows of the page, whether a next page exists). Dates are the shop's closing dates."""
    check_range(start, end)
    if register_code and not session.scalar(
        select(Register.id).where(Register.shop_id == shop.id, Register.code == register_code)
    ):
        raise Refused(_("Caisse inconnue : %(code)s.", code=register_code))
    query = (
        select(ReceivedDay)
        .join(ReceivedBatch, ReceivedBatch.batch_id == ReceivedDay.batch_id)
        .where(ReceivedBatch.shop_id == shop.id)
        .order_by(ReceivedDay.closed_at.desc(), ReceivedDay.register_code)
        .offset(page * PAGE)
        .limit(PAGE + 1)
    )
    if register_code:
        query = query.where(ReceivedDay.register_code == register_code)
    low, high = _bounds(shop, start, end)
    if low:
        query = query.where(ReceivedDay.closed_at >= low)
    if high:
        query = query.where(ReceivedDay.closed_at < high)
    days = list(session.scalars(query))
    more = len(days) > PAGE
    days = days[:PAGE]
    signed = set(
        session.scalars(
            select(ChainRecord.subject_uuid).where(ChainRecord.subject_uuid.in_([d.day_uuid for d in days]))
        )
    )
    rows = [
        ZRow(
            d.day_uuid,
            d.register_code,
            d.number,
            d.opened_at,
            d.closed_at,
            d.ticket_count,
            d.sales_total_cents,
            d.day_uuid in signed,
        )
        for d in days
    ]
    return rows, more


def z_of_day(session: Session, shop: Shop, day_uuid: str) -> dict:
    """The day as its register sent it (the batch's JSON), for the Z page."""
    row = session.execute(
        select(ReceivedDay.batch_id, ReceivedDay.register_code)
        .join(ReceivedBatch, ReceivedBatch.batch_id == ReceivedDay.batch_id)
        .where(ReceivedBatch.shop_id == shop.id, ReceivedDay.day_uuid == day_uuid)
    ).first()
    if row is None:
        raise NotFound(_("Aucune journée reçue sous ce numéro."))
    body = json.loads(
        session.scalar(select(ReceivedBatch.body).where(ReceivedBatch.batch_id == row.batch_id))
    )
    for day in body["days"]:
        if str(uuid.UUID(str(day.get("uuid")))) == day_uuid:
            return {**day, "register_code": row.register_code, "batch_id": row.batch_id}
    raise NotFound(_("Aucune journée reçue sous ce numéro."))
