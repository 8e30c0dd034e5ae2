"""The shop's safe (coffre-fort) at head office: the setting, the balances every snapshot of
the shop carries, and the movements received exports apply (docs/safe.md).

Each register records its own safe movements and sends them with its days; head office adds
them to the shop's balance per method, and is the one that knows the whole safe. A register
shows head office's balance from its last import plus what it moved since."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import case, select

from headoffice.admin import AdminError, require_shop
from headoffice.credit_notes import UPSERT_INSERTS
from headoffice.export_checks import MAX_CENTS, bad_request, parse_uuid
from headoffice.extensions import db
from headoffice.models import SafeBalance, Shop
from headoffice.timeutil import parse_rfc3339, to_rfc3339

MAX_LIMIT_DAYS = 366


def set_safe(
    shop_code: str, *, enabled: bool, limit_cents: int | None = None, limit_days: int | None = None
) -> Shop:
    """« Gestion du coffre-fort » on or off, with its limits (None: no limit). Boxes take it
    at their next import."""
    shop = require_shop(shop_code)
    if limit_cents is not None and not 0 < limit_cents <= MAX_CENTS:
        raise AdminError("The safe's limit must be more than 0,00.")
    if limit_days is not None and not 0 < limit_days <= MAX_LIMIT_DAYS:
        raise AdminError(f"The safe's time limit is 1 to {MAX_LIMIT_DAYS} days.")
    shop.safe_enabled = enabled
    shop.safe_limit_cents, shop.safe_limit_days = limit_cents, limit_days
    return shop


def snapshot_part(shop: Shop) -> dict | None:
    """The snapshot's `safe` (contract 1.5.0): absent when the setting is off, so the
    snapshots of a shop without a safe keep their version."""
    if not shop.safe_enabled:
        return None
    rows = db.session.scalars(
        select(SafeBalance).where(SafeBalance.shop_id == shop.id).order_by(SafeBalance.method_code)
    ).all()
    outs = [r.last_withdrawal_at for r in rows if r.last_withdrawal_at]
    ins = [r.first_deposit_at for r in rows if r.first_deposit_at]
    since = max(outs) if outs else min(ins) if ins else None
    return {
        "methods": [
            {
                "method_code": r.method_code,
                "operation_count": r.operation_count,
                "deposits_cents": r.deposits_cents,
                "withdrawals_cents": r.withdrawals_cents,
            }
            for r in rows
        ],
        **({"limit_cents": shop.safe_limit_cents} if shop.safe_limit_cents else {}),
        **({"limit_days": shop.safe_limit_days} if shop.safe_limit_days else {}),
        **({"since": to_rfc3339(since)} if since else {}),
    }


@dataclass
class SafeMove:
    """What one batch does to the safe in one method."""

    method_code: str
    operations: int = 0
    deposits_cents: int = 0
    withdrawals_cents: int = 0
    last_withdrawal_at: datetime | None = None
    first_deposit_at: datetime | None = None


def safe_moves(days: list[dict]) -> list[SafeMove]:
    """The batch's safe movements per method, sorted by method (concurrent batches lock rows
    in one order); a 400 naming the field for one head office cannot book."""
    moves: dict[str, SafeMove] = {}
    for d, day in enumerate(days):
        listed = day.get("safe_movements", [])
        if not isinstance(listed, list):
            raise bad_request(f"days[{d}].safe_movements must be a list.")
        for m, movement in enumerate(listed):
            where = f"days[{d}].safe_movements[{m}]"
            if not isinstance(movement, dict):
                raise bad_request(f"{where} must be an object.")
            parse_uuid(movement.get("uuid"), f"{where}.uuid")
            kind, amount, code = (
                movement.get("kind"),
                movement.get("amount_cents"),
                movement.get("method_code"),
            )
            if kind not in ("in", "out"):
                raise bad_request(f"{where}.kind must be in or out.")
            if not isinstance(amount, int) or isinstance(amount, bool) or not 0 < amount <= MAX_CENTS:
                raise bad_request(f"{where}.amount_cents must be a positive integer number of cents.")
            if not isinstance(code, str) or not 1 <= len(code) <= 32:
                raise bad_request(f"{where}.method_code must be a code of 1 to 32 characters.")
            try:
                at = parse_rfc3339(movement.get("created_at"))
            except (TypeError, ValueError):
                raise bad_request(f"{where}.created_at is not an RFC 3339 time.") from None
            move = moves.setdefault(code, SafeMove(code))
            move.operations += 1
            if kind == "in":
                move.deposits_cents += amount
                move.first_deposit_at = min(filter(None, (move.first_deposit_at, at)))
            else:
                move.withdrawals_cents += amount
                move.last_withdrawal_at = max(filter(None, (move.last_withdrawal_at, at)))
    return [moves[code] for code in sorted(moves)]


def book_safe(shop_id: int, moves: list[SafeMove]) -> None:
    """Add the moves to the shop's safe, in the caller's transaction: sums added in the
    database, as credit notes are (headoffice/credit_notes.py, book_moves)."""
    if not moves:
        return
    dialect = db.session.get_bind().dialect.name
    statement = UPSERT_INSERTS[dialect](SafeBalance).values(
        [
            {
                "shop_id": shop_id,
                "method_code": m.method_code,
                "operation_count": m.operations,
                "deposits_cents": m.deposits_cents,
                "withdrawals_cents": m.withdrawals_cents,
                "last_withdrawal_at": m.last_withdrawal_at,
                "first_deposit_at": m.first_deposit_at,
            }
            for m in moves
        ]
    )
    new = statement.excluded
    db.session.execute(
        statement.on_conflict_do_update(
            index_elements=[SafeBalance.shop_id, SafeBalance.method_code],
            set_={
                "operation_count": SafeBalance.operation_count + new.operation_count,
                "deposits_cents": SafeBalance.deposits_cents + new.deposits_cents,
                "withdrawals_cents": SafeBalance.withdrawals_cents + new.withdrawals_cents,
                # NULL compares to nothing: the CASE keeps whichever side is known.
                "last_withdrawal_at": case(
                    (SafeBalance.last_withdrawal_at.is_(None), new.last_withdrawal_at),
                    (new.last_withdrawal_at > SafeBalance.last_withdrawal_at, new.last_withdrawal_at),
                    else_=SafeBalance.last_withdrawal_at,
                ),
                "first_deposit_at": case(
                    (SafeBalance.first_deposit_at.is_(None), new.first_deposit_at),
                    (new.first_deposit_at < SafeBalance.first_deposit_at, new.first_deposit_at),
                    else_=SafeBalance.first_deposit_at,
                ),
            },
        )
    )
