"""Closing one payment method (docs/closing.md, « Per method »): what the manager counted,
the difference with what was expected and its reason, the withdrawal (« Retrait à la clôture
de la journée ») and what remains in the drawer for the next opening — each a document of
the cash chain, in the closing's transaction."""

from dataclasses import dataclass

from sqlalchemy.orm import Session

from app.models import CashCount, CashCountLine, CashMovement, ClosingLine, PaymentMethod
from app.services.closing.cash import write_difference_document
from app.services.closing.summary import MethodRow
from app.services.counting import MethodCount
from app.services.journal import record
from app.services.sequences import next_number
from app.services.signing import sign_cash_count, sign_cash_movement
from app.states import CashMovementKind, CountMoment

WITHDRAWAL_REASON = "Retrait à la clôture de la journée"


@dataclass
class MethodClosing:
    """One method as the manager closes it, checked (app/services/closing/closing.py)."""

    row: MethodRow
    counted_cents: int | None
    count: MethodCount | None
    withdrawal_cents: int
    reason: str | None

    @property
    def difference_cents(self) -> int | None:
        return None if self.counted_cents is None else self.counted_cents - self.row.expected_cents

    @property
    def present_cents(self) -> int:
        return self.row.expected_cents if self.counted_cents is None else self.counted_cents

    @property
    def remaining_cents(self) -> int:
        return self.present_cents - self.withdrawal_cents


def close_method(session: Session, state, day, staff, closing: MethodClosing, now) -> ClosingLine:
    """Write one method's closing: its line, its count, the DC/RC of an accepted difference,
    the withdrawal. Returns the line (its remaining is the next opening's balance)."""
    row, difference = closing.row, closing.difference_cents
    line = ClosingLine(
        day_id=day.id,
        method_code=row.code,
        method_name=row.name,
        opening_cents=row.opening_cents,
        payments_cents=row.payments_cents,
        cash_in_cents=row.cash_in_cents,
        cash_out_cents=row.cash_out_cents,
        expected_cents=row.expected_cents,
        counted_cents=closing.counted_cents,
        difference_cents=difference,
        difference_reason=closing.reason if difference else None,
        withdrawal_cents=None if row.store_credit else closing.withdrawal_cents,
        remaining_cents=None if row.store_credit else closing.remaining_cents,
    )
    session.add(line)
    if closing.counted_cents is not None:
        _write_count(session, day, staff, closing, now)
    method = session.get(PaymentMethod, row.code)
    if difference and method is not None:
        write_difference_document(session, state, day, staff, method, difference, closing.reason, now)
        record(
            session,
            "accept_difference",
            actor=staff,
            register_code=day.register_code,
            subject_uuid=day.uuid,
            reason=closing.reason,
            method_code=row.code,
            difference_cents=difference,
        )
    if closing.withdrawal_cents:
        movement = CashMovement(
            register_code=day.register_code,
            day_id=day.id,
            number=next_number(session, day.register_code, "cash_movement"),
            kind=CashMovementKind.OUT,
            method_code=row.code,
            amount_cents=closing.withdrawal_cents,
            reason=WITHDRAWAL_REASON,
            closing_withdrawal=True,
            created_at=now,
            created_by_code=staff.code,
            created_by_name=staff.name,
        )
        session.add(movement)
        session.flush()
        sign_cash_movement(session, movement, day.uuid)
    return line


def _write_count(session: Session, day, staff, closing: MethodClosing, now) -> None:
    count = closing.count
    cash_count = CashCount(
        day_id=day.id,
        moment=CountMoment.CLOSING,
        method_code=closing.row.code,
        counted_cents=closing.counted_cents,
        item_count=count.items if count else None,
        counted_at=now,
        counted_by_code=staff.code,
        counted_by_name=staff.name,
        lines=[CashCountLine(value_cents=v, quantity=q) for v, q in sorted(count.grid.items()) if q]
        if count
        else [],
    )
    session.add(cash_count)
    session.flush()
    sign_cash_count(session, day.register_code, cash_count, day.uuid)
