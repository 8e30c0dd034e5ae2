"""Titres-service at head office (docs/headoffice.md, « Titres-service »): a payment method
flagged `is_titre_service`, the numbering scheme of each issuer, and the numbers registers
took, learnt from their exports and listed in every snapshot of the shop until they expire.

A numbering scheme is a mask, one character per digit of the number:

- a literal digit (0-9): that digit must be there — how the issuer is recognised;
- ``A``: a digit of the year the voucher is valid for, 2 in a row (20YY) or 4 (YYYY);
- ``N``: any digit;
- ``C``: a Luhn check digit over the whole number, last.

A voucher of year Y is accepted until 31 December Y plus the issuer's grace days. Two
issuers of a shop may not have masks that one number could fit: the number alone names its
issuer. The box reads masks with the same grammar (app/services/selling/titres.py).
"""

import logging
import re
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy import select

from headoffice.admin import AdminError, check_code, require_shop
from headoffice.credit_notes import UPSERT_INSERTS
from headoffice.export_checks import ISO_DATE, bad_request, parse_uuid
from headoffice.extensions import db
from headoffice.models import PaymentMethod, Shop, TitreServiceIssuer, TitreServiceUse
from headoffice.timeutil import parse_rfc3339, to_rfc3339

log = logging.getLogger(__name__)

MASK = re.compile(r"[0-9N]*(?:AA|AAAA)[0-9N]*C?")
NUMBER = re.compile(r"[0-9]{4,32}")
MAX_GRACE_DAYS = 3660


def check_mask(mask: str) -> str:
    if not 4 <= len(mask) <= 32 or not MASK.fullmatch(mask):
        raise AdminError(
            f"Mask {mask!r}: 4 to 32 characters, digits, N, one run of AA or AAAA (the year), "
            "and an optional C (check digit) at the end."
        )
    if not any(ch.isdigit() for ch in mask):
        raise AdminError(f"Mask {mask!r} has no literal digit: nothing would recognise the issuer.")
    return mask


def masks_overlap(one: str, other: str) -> bool:
    """Whether a single number could fit both masks."""
    return len(one) == len(other) and all(
        a == b or not a.isdigit() or not b.isdigit() for a, b in zip(one, other)
    )


def _method(shop: Shop, method_code: str) -> PaymentMethod:
    method = db.session.scalars(
        select(PaymentMethod).where(PaymentMethod.shop_id == shop.id, PaymentMethod.code == method_code)
    ).one_or_none()
    if method is None:
        raise AdminError(f"No payment method {method_code!r} in shop {shop.code}.")
    return method


def make_titre_service(shop_code: str, method_code: str) -> PaymentMethod:
    """Flag a method as titre-service: it never gives change (the manual), is counted as
    items (each voucher is paper), and goes to the safe like the other external vouchers."""
    method = _method(require_shop(shop_code), method_code)
    if method.store_credit:
        raise AdminError(f"{method_code} is the shop's credit note; a titre-service is another method.")
    method.is_titre_service = True
    method.gives_change = False
    method.counted_as_items = True
    return method


def set_issuer(
    shop_code: str, method_code: str, code: str, name: str, mask: str, grace_days: int
) -> TitreServiceIssuer:
    """Add an issuer to a titre-service method, or change its name, mask or grace days."""
    shop = require_shop(shop_code)
    method = _method(shop, method_code)
    if not method.is_titre_service:
        raise AdminError(f"{method_code} is not a titre-service method (make-titre-service first).")
    code = check_code(code, "Issuer code")
    mask = check_mask(mask)
    if not 0 <= grace_days <= MAX_GRACE_DAYS:
        raise AdminError(f"Grace days: 0 to {MAX_GRACE_DAYS}, not {grace_days}.")
    others = db.session.scalars(select(TitreServiceIssuer).where(TitreServiceIssuer.shop_id == shop.id)).all()
    for other in others:
        if other.code != code and masks_overlap(mask, other.mask):
            raise AdminError(
                f"Mask {mask!r} overlaps issuer {other.code}'s {other.mask!r}: a number could "
                "belong to both. Make one literal digit differ."
            )
    issuer = next((i for i in others if i.code == code), None)
    if issuer is None:
        issuer = TitreServiceIssuer(shop_id=shop.id, code=code)
        db.session.add(issuer)
    elif issuer.method_id != method.id:
        raise AdminError(f"Issuer {code} belongs to another method.")
    issuer.method_id, issuer.name, issuer.mask, issuer.grace_days = (
        method.id,
        name.strip() or code,
        mask,
        grace_days,
    )
    return issuer


# --- The snapshot -------------------------------------------------------------------------------


def issuers_by_method(shop_id: int) -> dict[int, list[dict]]:
    found: dict[int, list[dict]] = {}
    for method_id, code, name, mask, grace in db.session.execute(
        select(
            TitreServiceIssuer.method_id,
            TitreServiceIssuer.code,
            TitreServiceIssuer.name,
            TitreServiceIssuer.mask,
            TitreServiceIssuer.grace_days,
        )
        .where(TitreServiceIssuer.shop_id == shop_id)
        .order_by(TitreServiceIssuer.code)
    ):
        found.setdefault(method_id, []).append(
            {"code": code, "name": name, "mask": mask, "grace_days": grace}
        )
    return found


def used_numbers(shop: Shop) -> list[dict]:
    """Numbers still within their validity, by the shop's date: a box refuses them as used.
    Expired ones are left out (the box refuses them as expired), so the list stays a year's."""
    today = datetime.now(ZoneInfo(shop.timezone)).date()
    return [
        {
            "number": number,
            "issuer_code": issuer,
            "register_code": register,
            "used_at": to_rfc3339(used_at),
            "valid_until": until.isoformat(),
        }
        for number, issuer, register, used_at, until in db.session.execute(
            select(
                TitreServiceUse.number,
                TitreServiceUse.issuer_code,
                TitreServiceUse.register_code,
                TitreServiceUse.used_at,
                TitreServiceUse.valid_until,
            )
            .where(TitreServiceUse.shop_id == shop.id, TitreServiceUse.valid_until >= today)
            .order_by(TitreServiceUse.number)
        )
    ]


# --- Receiving exports --------------------------------------------------------------------------


@dataclass(frozen=True)
class Use:
    number: str
    issuer_code: str
    used_at: datetime
    valid_until: date
    ticket_uuid: str


def titre_uses(days: list[dict]) -> list[Use]:
    """The batch's titre-service payments (those carrying `titre_service_issuer`, contract
    1.4.0) on finished tickets, checked; a 400 names one head office cannot book."""
    found = []
    for d, day in enumerate(days):
        for t, ticket in enumerate(day["tickets"]):
            if not isinstance(ticket, dict) or ticket.get("status") != "finished":
                continue
            payments = ticket.get("payments")
            for p, payment in enumerate(payments if isinstance(payments, list) else []):
                if not isinstance(payment, dict) or payment.get("titre_service_issuer") is None:
                    continue
                where = f"days[{d}].tickets[{t}].payments[{p}]"
                number, issuer = payment.get("reference"), payment["titre_service_issuer"]
                if not isinstance(number, str) or not NUMBER.fullmatch(number):
                    raise bad_request(
                        f"{where} is a titre-service: its reference must be its number (4 to 32 digits)."
                    )
                if not isinstance(issuer, str) or not 1 <= len(issuer) <= 32:
                    raise bad_request(
                        f"{where}.titre_service_issuer must be an issuer code of 1 to 32 characters."
                    )
                found.append(
                    Use(
                        number=number,
                        issuer_code=issuer,
                        used_at=_moment(payment.get("created_at"), f"{where}.created_at"),
                        valid_until=_valid_until(payment.get("expires_on"), where),
                        ticket_uuid=parse_uuid(ticket.get("uuid"), f"days[{d}].tickets[{t}].uuid"),
                    )
                )
    return found


def _valid_until(value, where: str) -> date:
    problem = f"{where}.expires_on must be the titre-service's last valid day (YYYY-MM-DD)"
    if not isinstance(value, str) or not ISO_DATE.fullmatch(value):
        raise bad_request(f"{problem}, not {value!r}.")
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise bad_request(f"{problem}; {value!r} is no such day.") from None


def _moment(value, where: str) -> datetime:
    try:
        return parse_rfc3339(value)
    except (TypeError, ValueError):
        raise bad_request(f"{where} is not an RFC 3339 time: {value!r}.") from None


def book_uses(shop_id: int, register_code: str, batch_id: str, uses: list[Use]) -> None:
    """Record the numbers, in the caller's transaction. A number already recorded from
    another ticket is logged, not refused: the sale happened (two registers offline may both
    have taken a copy), and refusing the batch would only stop the days from arriving."""
    if not uses:
        return
    known = dict(
        db.session.execute(
            select(TitreServiceUse.number, TitreServiceUse.ticket_uuid).where(
                TitreServiceUse.shop_id == shop_id, TitreServiceUse.number.in_({u.number for u in uses})
            )
        ).all()
    )
    for use in uses:
        first = known.get(use.number)
        if first is not None and first != use.ticket_uuid:
            log.warning(
                "Titre-service %s used again by ticket %s (batch %s, register %s), first by %s.",
                use.number,
                use.ticket_uuid,
                batch_id,
                register_code,
                first,
            )
    dialect = db.session.get_bind().dialect.name
    statement = UPSERT_INSERTS[dialect](TitreServiceUse).values(
        [
            {
                "shop_id": shop_id,
                "number": use.number,
                "issuer_code": use.issuer_code,
                "register_code": register_code,
                "ticket_uuid": use.ticket_uuid,
                "used_at": use.used_at,
                "valid_until": use.valid_until,
            }
            for use in sorted({u.number: u for u in uses}.values(), key=lambda u: u.number)
        ]
    )
    db.session.execute(
        statement.on_conflict_do_nothing(index_elements=[TitreServiceUse.shop_id, TitreServiceUse.number])
    )
