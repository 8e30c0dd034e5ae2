"""A shallow check of an ExportBatch body against docs/openapi.yaml.

Shallow on purpose: head office stores the batch whole and reports read it later, so what
must hold now is what the index, idempotency and credit-note balances rely on (ids, codes,
day identity and totals, store-credit payments). Each failure names the field, so the box's technician can fix the sender.
"""

import re
import uuid
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any

from headoffice.errors import ApiError
from headoffice.timeutil import parse_rfc3339

BATCH_REQUIRED = ("batch_id", "register_code", "shop_code", "box", "created_at", "days")
DAY_REQUIRED = (
    "uuid",
    "number",
    "opened_at",
    "opened_by",
    "opening_float_cents",
    "closed_at",
    "closed_by",
    "ticket_count",
    "sales_total_cents",
    "tickets",
    "cash_movements",
    "cash_counts",
    "closing_lines",
)
DAY_LISTS = ("tickets", "cash_movements", "cash_counts", "closing_lines")
CREDIT_NOTE_CODE = re.compile(r"[0-9]{13}")
# JSON integers have no size: bounded here, well within the columns that store them
# (PostgreSQL's integer for counts and numbers, 64 bits for cents), or a number past them
# would fail in the database as a 500 instead of a 400 naming the field.
MAX_COUNT = 2**31 - 1
MAX_CENTS = 10**13 - 1  # under 100 billion euros
ISO_DATE = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")


def bad_request(message: str) -> ApiError:
    return ApiError(400, "invalid_batch", message)


def parse_uuid(value: Any, where: str) -> str:
    """The canonical lowercase form of a UUID string, or a 400 naming `where`."""
    if not isinstance(value, str):
        raise bad_request(f"{where} must be a UUID string.")
    try:
        return str(uuid.UUID(value))
    except ValueError:
        raise bad_request(f"{where} is not a UUID: {value!r}.") from None


def _is_int(value: Any, low: int = -MAX_CENTS, high: int = MAX_CENTS) -> bool:
    # bool is an int in Python but not in JSON.
    return isinstance(value, int) and not isinstance(value, bool) and low <= value <= high


def _require(mapping: dict, fields: tuple[str, ...], where: str) -> None:
    missing = [name for name in fields if name not in mapping]
    if missing:
        raise bad_request(f"{where} misses required field(s): {', '.join(missing)}.")


def _time(value: Any, where: str):
    try:
        return parse_rfc3339(value)
    except (TypeError, ValueError):
        raise bad_request(f"{where} is not an RFC 3339 time: {value!r}.") from None


def _code(value: Any, where: str) -> str:
    if not isinstance(value, str) or not 1 <= len(value) <= 32:
        raise bad_request(f"{where} must be a code of 1 to 32 characters.")
    return value


def check_batch(body: Any, batch_id: str, register_code: str, shop_code: str) -> list[dict]:
    """Raise a 400 ApiError if the body breaks the contract; return the days, checked."""
    if not isinstance(body, dict):
        raise bad_request("The body must be a JSON object (an ExportBatch).")
    _require(body, BATCH_REQUIRED, "The batch")
    if parse_uuid(body["batch_id"], "batch_id") != batch_id:
        raise bad_request(f"batch_id {body['batch_id']!r} differs from the URL's {batch_id!r}.")
    if _code(body["register_code"], "register_code") != register_code:
        raise bad_request(
            f"register_code {body['register_code']!r} differs from the URL's {register_code!r}."
        )
    if _code(body["shop_code"], "shop_code") != shop_code:
        raise bad_request(f"shop_code {body['shop_code']!r} is not this token's shop {shop_code!r}.")
    box = body["box"]
    if not isinstance(box, dict) or not all(isinstance(box.get(k), str) for k in ("terminal", "device")):
        raise bad_request("box must be an object with string terminal and device.")
    _time(body["created_at"], "created_at")
    days = body["days"]
    if not isinstance(days, list) or not days:
        raise bad_request("days must be a non-empty list.")
    seen: set[str] = set()
    return [_check_day(day, index, seen) for index, day in enumerate(days)]


def _check_day(day: Any, index: int, seen: set[str]) -> dict:
    where = f"days[{index}]"
    if not isinstance(day, dict):
        raise bad_request(f"{where} must be an object.")
    if "uuid" not in day:
        raise bad_request(f"{where} has no uuid.")
    day_uuid = parse_uuid(day["uuid"], f"{where}.uuid")
    _require(day, DAY_REQUIRED, where)
    if day_uuid in seen:
        raise bad_request(f"Day {day_uuid} appears twice in this batch.")
    seen.add(day_uuid)
    if not _is_int(day["number"], 1, MAX_COUNT):
        raise bad_request(f"{where}.number must be an integer from 1 to {MAX_COUNT}.")
    if not _is_int(day["ticket_count"], 0, MAX_COUNT):
        raise bad_request(f"{where}.ticket_count must be an integer from 0 to {MAX_COUNT}.")
    if not _is_int(day["sales_total_cents"]):
        raise bad_request(
            f"{where}.sales_total_cents must be an integer number of cents (at most {MAX_CENTS} either way)."
        )
    if not _is_int(day["opening_float_cents"], 0):
        raise bad_request(
            f"{where}.opening_float_cents must be an integer number of cents from 0 to {MAX_CENTS}."
        )
    for name in DAY_LISTS:
        if not isinstance(day[name], list):
            raise bad_request(f"{where}.{name} must be a list.")
    _check_cashier_sessions(day.get("cashier_sessions", []), where)
    check_card_transactions(day, where)
    return {
        "day_uuid": day_uuid,
        "number": day["number"],
        "opened_at": _time(day["opened_at"], f"{where}.opened_at"),
        "closed_at": _time(day["closed_at"], f"{where}.closed_at"),
        "ticket_count": day["ticket_count"],
        "sales_total_cents": day["sales_total_cents"],
    }


def _check_cashier_sessions(sessions: Any, where: str) -> None:
    """1.5.0, optional: the day's cashier sessions, kept in the batch as sent."""
    if not isinstance(sessions, list):
        raise bad_request(f"{where}.cashier_sessions must be a list.")
    for index, item in enumerate(sessions):
        at = f"{where}.cashier_sessions[{index}]"
        if not isinstance(item, dict):
            raise bad_request(f"{at} must be an object.")
        _require(item, ("uuid", "number", "cashier", "status", "opened_at", "lines"), at)
        parse_uuid(item["uuid"], f"{at}.uuid")
        if not _is_int(item["number"], 1, MAX_COUNT):
            raise bad_request(f"{at}.number must be an integer from 1 to {MAX_COUNT}.")
        if not isinstance(item["lines"], list):
            raise bad_request(f"{at}.lines must be a list.")


@dataclass(frozen=True)
class StoreCreditPayment:
    """A finished ticket's payment in a store-credit method: negative issues, positive spends."""

    code: str
    amount_cents: int
    created_at: datetime
    expires_on: date | None
    ticket_uuid: str


def check_store_credit(days: list[dict], method_codes: set[str]) -> list[StoreCreditPayment]:
    """The batch's store-credit payments, checked; a 400 for one head office cannot book.

    Stricter than the rest of this module because head office keeps credit-note balances
    from these payments, and a box imports them back: a code or an expiry it cannot read
    would lose a customer's money. Cancelled tickets moved no money and are skipped.
    """
    found = []
    for d, day in enumerate(days):
        for t, ticket in enumerate(day["tickets"]):
            if not isinstance(ticket, dict) or ticket.get("status") != "finished":
                continue
            payments = ticket.get("payments")
            for p, payment in enumerate(payments if isinstance(payments, list) else []):
                if isinstance(payment, dict) and payment.get("method_code") in method_codes:
                    where = f"days[{d}].tickets[{t}]"
                    checked = _store_credit_payment(payment, ticket, where, f"{where}.payments[{p}]")
                    if checked is not None:
                        found.append(checked)
    return found


def _store_credit_payment(
    payment: dict, ticket: dict, ticket_where: str, where: str
) -> StoreCreditPayment | None:
    amount = payment.get("amount_cents")
    if not _is_int(amount):
        raise bad_request(
            f"{where}.amount_cents must be an integer number of cents (at most {MAX_CENTS} either way)."
        )
    if amount == 0:
        return None
    code = payment.get("reference")
    if not isinstance(code, str) or not CREDIT_NOTE_CODE.fullmatch(code):
        raise bad_request(
            f"{where} is in store credit ({payment['method_code']}): its reference must be the "
            f"credit note's 13-digit code, not {code!r}."
        )
    expires_on = None
    if amount < 0:
        expires_on = _date(payment.get("expires_on"), f"{where}.expires_on")
    return StoreCreditPayment(
        code=code,
        amount_cents=amount,
        created_at=_time(payment.get("created_at"), f"{where}.created_at"),
        expires_on=expires_on,
        ticket_uuid=parse_uuid(ticket.get("uuid"), f"{ticket_where}.uuid"),
    )


# Card transactions the box writes itself (contract 1.5.0): a payment or a refund on a ticket
# travels as the ticket's payment; a Remboursement manuel is a refund that cancels nothing.
CARD_DOCUMENT_STATUSES = ("payment_cancel", "refund", "refund_cancel")


def check_card_transactions(day: dict, where: str) -> None:
    """A day's `card_transactions` (absent from a box older than 1.5.0): a 400 naming the field."""
    listed = day.get("card_transactions", [])
    if not isinstance(listed, list):
        raise bad_request(f"{where}.card_transactions must be a list.")
    for index, item in enumerate(listed):
        at = f"{where}.card_transactions[{index}]"
        if not isinstance(item, dict):
            raise bad_request(f"{at} must be an object.")
        parse_uuid(item.get("uuid"), f"{at}.uuid")
        if not _is_int(item.get("number"), 1, MAX_COUNT):
            raise bad_request(f"{at}.number must be an integer from 1 to {MAX_COUNT}.")
        if item.get("status") not in CARD_DOCUMENT_STATUSES:
            raise bad_request(f"{at}.status must be one of {', '.join(CARD_DOCUMENT_STATUSES)}.")
        if not _is_int(item.get("amount_cents"), 1):
            raise bad_request(f"{at}.amount_cents must be an integer number of cents from 1 to {MAX_CENTS}.")
        if not isinstance(item.get("method_code"), str) or not item["method_code"]:
            raise bad_request(f"{at}.method_code must be a payment method's code.")
        if item["status"] != "refund":  # a cancellation names what it cancels
            parse_uuid(item.get("cancels_uuid"), f"{at}.cancels_uuid")


def _date(value: Any, where: str) -> date:
    problem = f"{where} must be a date (YYYY-MM-DD): a store-credit refund issues a credit note"
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise bad_request(f"{problem} and must say its last day, not {value!r}.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{problem}; {value!r} is no such day.") from None
