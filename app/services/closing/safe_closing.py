"""At closing, what the methods flagged « Prendre en compte dans le coffre-fort » leave in the
drawer goes to the safe by itself (docs/safe.md): « lors de la clôture de la session de caisse,
les excédents de trésorerie, ainsi que les paiements avec des bons d'achat externes et des
chèques, sont automatiquement déposés dans le coffre-fort et la caisse enregistreuse de
l'opérateur en est réduite » (the manual)."""

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import CashMovement, ClosingLine, PaymentMethod, Shop
from app.services.closing.safe_movements import write_safe_movement
from app.services.scheduled import SYSTEM
from app.services.sequences import next_number
from app.services.signing import sign_cash_movement
from app.states import CashMovementKind, PayerKind

CLOSING_REASON = "Dépôt au coffre-fort à la clôture de la journée"


def send_closing_remainder_to_safe(session: Session, day, staff, now) -> list:
    """Called by the closing, in its transaction, once the day's closing lines and
    withdrawals are written: per safe method, what stays in the drawer (counted, else
    expected, less what was withdrawn at closing) leaves it by a closing withdrawal (a DC,
    signed, apart from the day's figures like every withdrawal at closing) and enters the
    safe (a deposit, signed). What is sent is added to its closing line's withdrawal (its
    remaining is then 0) and the cash's to the day's withdrawal, so the Z's « Fonds restant »,
    the next float suggested and the next opening's count say the drawer is empty. Returns
    the safe movements."""
    shop = session.scalars(select(Shop)).first()
    if shop is None or not shop.safe_enabled or staff.code == SYSTEM.code:
        # « Clôture automatique de la journée »: nobody is there to carry the drawer to the
        # safe, and nobody counted it; the money stays in the drawer (docs/closing.md).
        return []
    withdrawn = dict(
        session.execute(
            select(CashMovement.method_code, func.sum(CashMovement.amount_cents))
            .where(CashMovement.day_id == day.id, CashMovement.closing_withdrawal.is_(True))
            .group_by(CashMovement.method_code)
        ).all()
    )
    lines = session.execute(
        select(ClosingLine, PaymentMethod)
        .join(PaymentMethod, PaymentMethod.code == ClosingLine.method_code)
        .where(
            ClosingLine.day_id == day.id, PaymentMethod.goes_to_safe, PaymentMethod.store_credit.is_(False)
        )
        .order_by(PaymentMethod.position, PaymentMethod.code)
    ).all()
    moved = []
    for line, method in lines:
        present = line.counted_cents if line.counted_cents is not None else line.expected_cents
        remaining = present - (withdrawn.get(method.code) or 0)
        if remaining <= 0:
            continue
        drawer = CashMovement(
            register_code=day.register_code,
            day_id=day.id,
            number=next_number(session, day.register_code, "cash_movement"),
            kind=CashMovementKind.OUT,
            method_code=method.code,
            amount_cents=remaining,
            reason=CLOSING_REASON,
            closing_withdrawal=True,
            created_at=now,
            created_by_code=staff.code,
            created_by_name=staff.name,
        )
        session.add(drawer)
        session.flush()
        sign_cash_movement(session, drawer, day.uuid)
        movement, _signed = write_safe_movement(
            session,
            day,
            staff,
            payer=(PayerKind.EMPLOYEE, staff.name, staff.code),
            register_code=day.register_code,
            number=next_number(session, day.register_code, "safe_movement"),
            kind=CashMovementKind.IN,
            method_code=method.code,
            amount_cents=remaining,
            reason=CLOSING_REASON,
            cash_movement_uuid=drawer.uuid,
            at_closing=True,
            created_at=now,
        )
        moved.append(movement)
        # The closing line says what the drawer keeps: the next opening counts from it
        # (opening.carried_balances), the Z and the export print it.
        line.withdrawal_cents = (line.withdrawal_cents or 0) + remaining
        line.remaining_cents = 0
        if method.gives_change and method.counted_in_drawer:
            day.withdrawal_cents += remaining
    return moved
