"""Liste des opérations of the safe (docs/safe.md): this box's safe movements, any day,
newest first, a page at a time, with the manual's filters — part of the number, type,
amount, date, payment method, cashier — under the safe's initial and current balance."""

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from app.models import PaymentMethod, SafeMovement
from app.services.closing.cash_list import PAGE, _day_bounds
from app.services.closing.safe import SafeState, read_safe, shop_with_safe
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.states import CashMovementKind, Right

KINDS = {"recette": CashMovementKind.IN, "depense": CashMovementKind.OUT}


@dataclass(frozen=True)
class SafeFilter:
    """The filters as parsed (app/services/parsing.py reads the typed text)."""

    number: int | None = None  # any part of the number
    kind: str | None = None  # "recette" (a deposit) or "depense" (a withdrawal)
    amount_cents: int | None = None
    day: date | None = None  # the shop's day
    method_code: str | None = None
    cashier_code: str | None = None
    before_id: int | None = None  # the next page


@dataclass(frozen=True)
class SafeOperations:
    safe: SafeState
    rows: list  # id, uuid, number, kind, method, amount_cents, created_at, cashier, payer, reason
    more: bool


def list_safe_movements(session: Session, viewer, filters: SafeFilter, zone: str) -> SafeOperations:
    require_viewer(session, viewer, Right.SAFE, "view_safe")
    safe = read_safe(session, shop_with_safe(session))
    if filters.kind is not None and filters.kind not in KINDS:
        raise InvalidInput(_l("Type inconnu : choisissez Recettes ou Dépenses."))
    query = (
        select(
            SafeMovement.id,
            SafeMovement.uuid,
            SafeMovement.number,
            SafeMovement.kind,
            PaymentMethod.name.label("method"),
            SafeMovement.amount_cents,
            SafeMovement.created_at,
            SafeMovement.created_by_name.label("cashier"),
            SafeMovement.payer,
            SafeMovement.reason,
        )
        .outerjoin(PaymentMethod, PaymentMethod.code == SafeMovement.method_code)
        .order_by(SafeMovement.id.desc())
        .limit(PAGE + 1)
    )
    if filters.number is not None:
        query = query.where(cast(SafeMovement.number, String).contains(str(filters.number), autoescape=True))
    if filters.kind is not None:
        query = query.where(SafeMovement.kind == KINDS[filters.kind])
    if filters.amount_cents is not None:
        query = query.where(SafeMovement.amount_cents == filters.amount_cents)
    if filters.day is not None:
        start, end = _day_bounds(filters.day, zone)
        query = query.where(SafeMovement.created_at >= start, SafeMovement.created_at < end)
    if filters.method_code:
        query = query.where(SafeMovement.method_code == filters.method_code)
    if filters.cashier_code:
        query = query.where(SafeMovement.created_by_code == filters.cashier_code)
    if filters.before_id is not None:
        query = query.where(SafeMovement.id < filters.before_id)
    rows = session.execute(query).all()
    session.rollback()
    return SafeOperations(safe, rows[:PAGE], len(rows) > PAGE)
