"""The safe's balance on this box: head office's last known figures per method (written at
import, app/sync/safe.py) plus this box's movements written since — the rule credit notes
follow (app/services/selling/credit_notes.py). Head office holds the authoritative balance:
it applies the movements every register sends. Every transaction is BEGIN IMMEDIATE, so a
withdrawal reads the balance and writes its movement under the write lock: a second tablet
sees the first one's movement, never the balance before it."""

from dataclasses import dataclass, field
from datetime import datetime

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.database import from_sql_time, raw_cursor
from app.models import Shop, utcnow
from app.money import format_euros
from app.services.errors import StateForbids
from app.services.people import require_viewer
from app.states import CashMovementKind, Right

_BASE = (
    "SELECT b.method_code, b.operation_count, b.deposits_cents, b.withdrawals_cents, b.after_movement_id,"
    " m.name, m.goes_to_safe FROM safe_balance b LEFT JOIN payment_method m ON m.code = b.method_code"
    " ORDER BY m.position, b.method_code"
)
_SINCE = (
    "SELECT method_code, COUNT(*) AS operations,"
    f" SUM(CASE WHEN kind = '{CashMovementKind.IN}' THEN amount_cents ELSE 0 END) AS deposits,"
    f" SUM(CASE WHEN kind = '{CashMovementKind.OUT}' THEN amount_cents ELSE 0 END) AS withdrawals,"
    f" MAX(CASE WHEN kind = '{CashMovementKind.OUT}' THEN created_at END) AS last_withdrawal,"
    f" MIN(CASE WHEN kind = '{CashMovementKind.IN}' THEN created_at END) AS first_deposit"
    " FROM safe_movement WHERE id > ? GROUP BY method_code"
)


@dataclass
class SafeMethod:
    """One line of the Coffre-fort window."""

    code: str
    name: str
    operation_count: int = 0
    deposits_cents: int = 0
    withdrawals_cents: int = 0

    @property
    def total_cents(self) -> int:
        return self.deposits_cents - self.withdrawals_cents


@dataclass
class SafeState:
    methods: list[SafeMethod]
    initial_cents: int  # « Fonds de caisse initial Coffre-fort »: as head office said at import
    limit_cents: int | None
    limit_days: int | None
    since: datetime | None  # the last withdrawal known (else the first deposit)
    warnings: list[str] = field(default_factory=list)

    @property
    def total_cents(self) -> int:
        """« Fonds de caisse actuel Coffre-fort »."""
        return sum(m.total_cents for m in self.methods)

    def method(self, code: str) -> SafeMethod | None:
        return next((m for m in self.methods if m.code == code), None)


def shop_with_safe(session: Session) -> Shop:
    """The shop, when head office turned « Gestion du coffre-fort » on for it."""
    shop = session.scalars(select(Shop)).first()
    if shop is None or not shop.safe_enabled:
        raise StateForbids(_l("Le coffre-fort n'est pas activé pour ce magasin."))
    return shop


def read_safe(session: Session, shop: Shop) -> SafeState:
    """The safe now, in the caller's transaction (read under the write lock by a movement)."""
    cursor = raw_cursor(session)
    methods: dict[str, SafeMethod] = {}
    shown, after, initial = set(), 0, 0
    for row in cursor.execute(_BASE).fetchall():
        method = methods[row["method_code"]] = SafeMethod(
            row["method_code"],
            row["name"] or row["method_code"],
            row["operation_count"],
            row["deposits_cents"],
            row["withdrawals_cents"],
        )
        if row["goes_to_safe"]:
            shown.add(method.code)
        after = max(after, row["after_movement_id"])
        initial += method.total_cents
    last_out, first_in = None, None
    for row in cursor.execute(_SINCE, (after,)).fetchall():
        method = methods.setdefault(row["method_code"], SafeMethod(row["method_code"], row["method_code"]))
        method.operation_count += row["operations"]
        method.deposits_cents += row["deposits"]
        method.withdrawals_cents += row["withdrawals"]
        last_out = max(filter(None, (last_out, row["last_withdrawal"])), default=None)
        first_in = min(filter(None, (first_in, row["first_deposit"])), default=None)
    # A method head office no longer sends to the safe is neither shown nor counted (the
    # manual's Sodexo example), unless money is still in it.
    listed = [m for m in methods.values() if m.code in shown or m.total_cents]
    since = from_sql_time(last_out) if last_out else shop.safe_since or from_sql_time(first_in)
    state = SafeState(listed, initial, shop.safe_limit_cents, shop.safe_limit_days, since)
    state.warnings = _warnings(state)
    return state


def _warnings(state: SafeState) -> list[str]:
    """The reminders to take the safe to the bank: the limit amount reached (the manual's
    message, word for word), or money kept longer than the time limit."""
    warnings = []
    if state.limit_cents is not None and state.total_cents >= state.limit_cents:
        warnings.append(
            str(
                _l(
                    "Vous avez atteint la limite maximale du fonds de coffre-fort. Le fond de caisse "
                    "maximale du coffre-fort est de : %(limit)s. Fonds de caisse actuel Coffre-fort : "
                    "%(current)s: Effectuez un retrait du coffre-fort à la banque"
                )
            )
            % {"limit": format_euros(state.limit_cents), "current": format_euros(state.total_cents)}
        )
    if state.limit_days is not None and state.since is not None and state.total_cents > 0:
        days = (utcnow() - state.since).days
        if days >= state.limit_days:
            warnings.append(
                str(
                    _l(
                        "Le coffre-fort n'a pas été vidé depuis %(days)s jours (limite : %(limit)s jours) :"
                        " effectuez un retrait du coffre-fort à la banque."
                    )
                )
                % {"days": days, "limit": state.limit_days}
            )
    return warnings


def safe_window(session: Session, viewer) -> SafeState:
    """The Coffre-fort window: per method, operations, deposits, withdrawals, total."""
    require_viewer(session, viewer, Right.SAFE, "view_safe")
    state = read_safe(session, shop_with_safe(session))
    session.rollback()
    return state
