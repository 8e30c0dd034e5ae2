"""Liste des opérations of the safe (docs/safe.md): this box's safe movements, any day,
newest first, a page at a time, with the manual's filters — part of the number, type,
amount, date, payment method, cashier — under the safe's initial and current balance."""

from dataclasses import dataclass
from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.services.closing.listing import ListFilter, read_page, where_of
from app.services.closing.safe import SafeState, read_safe, shop_with_safe
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.states import CashMovementKind, Right

KINDS = {"recette": CashMovementKind.IN, "depense": CashMovementKind.OUT}


class SafeRow(NamedTuple):
    id: int
    uuid: str
    number: int
    kind: str
    method: str | None
    amount_cents: int
    created_at: datetime
    cashier: str
    payer: str | None
    reason: str


@dataclass(frozen=True)
class SafeOperations:
    safe: SafeState
    rows: list[SafeRow]
    more: bool


_ROWS = (
    "SELECT m.id, m.uuid, m.number, m.kind, p.name, m.amount_cents, m.created_at, m.created_by_name,"
    " m.payer, m.reason FROM safe_movement m LEFT OUTER JOIN payment_method p ON p.code = m.method_code"
)


def list_safe_movements(session: Session, viewer, filters: ListFilter, zone: str) -> SafeOperations:
    require_viewer(session, viewer, Right.SAFE, "view_safe")
    safe = read_safe(session, shop_with_safe(session))
    kind = (filters.kind or "").lower() or None
    if kind is not None and kind not in KINDS:
        raise InvalidInput(_l("Type inconnu : choisissez Recettes ou Dépenses."))
    rows, more = read_page(session, _ROWS, where_of(filters, KINDS.get(kind), zone), SafeRow)
    session.rollback()
    return SafeOperations(safe, rows, more)
