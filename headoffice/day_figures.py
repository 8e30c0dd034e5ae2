"""Counting a received day's figures, once, in the transaction that stores its batch.

What counts is the manual's « Récapitulatif de la boutique »: finished documents only (a
cancelled ticket sold nothing), sales (R) and returns (documents de correction) apart.
- sales: the sale documents' totals; at list price: before any discount (each line's
  quantity × price, i.e. its total plus its discount); the discounts are the difference
  (line discounts and the ticket's);
- items: document lines (« les éléments de documents et non pas la quantité »);
- returns: the return documents, their amount as a positive sum, their lines;
- credit notes issued (the shop's « bons d'achat »): refunds paid in a store-credit method;
- cash documents: the day's DC (in) and RC (out) movements, the closing withdrawal included.
A batch whose tickets the figures cannot read is refused (400 naming the field), as the
contract checks refuse what the index needs: a report must never silently skip a sale.
"""

import json
import uuid
from datetime import date
from zoneinfo import ZoneInfo

from sqlalchemy import insert, select

from headoffice.credit_notes import store_credit_codes
from headoffice.export_checks import MAX_CENTS, bad_request
from headoffice.extensions import db
from headoffice.models import FIGURES, DayFigures, ReceivedBatch, ReceivedDay, Shop
from headoffice.timeutil import parse_rfc3339


def _int(value, where: str) -> int:
    if not isinstance(value, int) or isinstance(value, bool) or not -MAX_CENTS <= value <= MAX_CENTS:
        raise bad_request(f"{where} must be an integer (the shop summary counts it).")
    return value


def _list(value, where: str) -> list:
    if not isinstance(value, list):
        raise bad_request(f"{where} must be a list (the shop summary counts it).")
    return value


def count_day(day: dict, store_credit: set[str], where: str) -> dict:
    """The day's FIGURES, from its JSON as the box sent it."""
    totals = dict.fromkeys(FIGURES, 0)
    for t, ticket in enumerate(day["tickets"]):
        at = f"{where}.tickets[{t}]"
        if not isinstance(ticket, dict) or ticket.get("status") != "finished":
            continue
        lines = _list(ticket.get("lines"), f"{at}.lines")
        total = _int(ticket.get("total_cents"), f"{at}.total_cents")
        if ticket.get("kind") == "sale":
            gross = 0
            for n, line in enumerate(lines):
                line_at = f"{at}.lines[{n}]"
                if not isinstance(line, dict):
                    raise bad_request(f"{line_at} must be an object.")
                gross += _int(line.get("total_cents"), f"{line_at}.total_cents")
                gross += _int(line.get("discount_cents", 0), f"{line_at}.discount_cents")
            totals["sale_count"] += 1
            totals["sales_cents"] += total
            totals["list_price_cents"] += gross
            totals["items_sold"] += len(lines)
        elif ticket.get("kind") == "return":
            totals["return_count"] += 1
            totals["returns_cents"] -= total
            totals["items_returned"] += len(lines)
        else:
            raise bad_request(f"{at}.kind must be sale or return.")
        for p, payment in enumerate(_list(ticket.get("payments", []), f"{at}.payments")):
            if isinstance(payment, dict) and payment.get("method_code") in store_credit:
                amount = _int(payment.get("amount_cents"), f"{at}.payments[{p}].amount_cents")
                if amount < 0:
                    totals["credit_note_count"] += 1
                    totals["credit_note_cents"] -= amount
    for m, movement in enumerate(day["cash_movements"]):
        kind = movement.get("kind") if isinstance(movement, dict) else None
        if kind not in ("in", "out"):
            raise bad_request(f"{where}.cash_movements[{m}].kind must be in or out.")
        totals[f"cash_{kind}_count"] += 1
        totals[f"cash_{kind}_cents"] += _int(
            movement.get("amount_cents"), f"{where}.cash_movements[{m}].amount_cents"
        )
    return totals


def business_date(opened_at: str, timezone: str) -> date:
    return parse_rfc3339(opened_at).astimezone(ZoneInfo(timezone)).date()


def day_rows(days: list[dict], shop_id: int, timezone: str, register_code: str) -> list[dict]:
    """One figures row per day (without received_day_id), checked: raises a 400 first."""
    codes = store_credit_codes(shop_id)
    return [
        {
            "day_uuid": canonical_uuid(day["uuid"]),
            "shop_id": shop_id,
            "register_code": register_code,
            "business_date": business_date(day["opened_at"], timezone),
            **count_day(day, codes, f"days[{index}]"),
        }
        for index, day in enumerate(days)
    ]


def store_figures(rows: list[dict], day_ids: dict[str, int]) -> None:
    """In the caller's transaction, once the days have their ids (uuid → received_day.id)."""
    if rows:
        db.session.execute(
            insert(DayFigures),
            [
                {
                    "received_day_id": day_ids[row["day_uuid"]],
                    **{k: v for k, v in row.items() if k != "day_uuid"},
                }
                for row in rows
            ],
        )


def backfill_figures() -> int:
    """Count the days received before the shop summary existed (init-db); returns how many."""
    lacking: dict[str, dict[str, int]] = {}
    for batch_id, day_uuid, day_id in db.session.execute(
        select(ReceivedDay.batch_id, ReceivedDay.day_uuid, ReceivedDay.id)
        .outerjoin(DayFigures, DayFigures.received_day_id == ReceivedDay.id)
        .where(DayFigures.received_day_id.is_(None))
    ):
        lacking.setdefault(batch_id, {})[day_uuid] = day_id
    for batch_id, ids in lacking.items():
        batch = db.session.get(ReceivedBatch, batch_id)
        shop = db.session.get(Shop, batch.shop_id)
        days = [day for day in json.loads(batch.body)["days"] if canonical_uuid(day["uuid"]) in ids]
        store_figures(day_rows(days, shop.id, shop.timezone, batch.register_code), ids)
    db.session.commit()
    return sum(len(ids) for ids in lacking.values())


def canonical_uuid(text: str) -> str:
    return str(uuid.UUID(text))
