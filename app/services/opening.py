"""Counting at opening (docs/closing.md, « Counting at opening »): each method starts the day
with what the last closing left in the drawer (the cash float, the cheques and vouchers not
taken out). With « Comptage obligatoire du fonds de caisse » on, the count window opens by
itself for every method and the float is never typed: it is what the last closing left, and
what the count finds beside it is a difference recorded apart — journaled, on the day's
figures, never added to the float.

app/services/lifecycle.py opens the day and asks this module at its two steps: the count
checked before anything is written, the lines written in the opening's transaction."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import CashCount, CashCountLine, ClosingLine, OpeningLine, PaymentMethod, RegisterDay
from app.money import format_euros
from app.services.counting import MethodCount, check_agreement
from app.services.errors import InvalidInput
from app.services.journal import record
from app.services.signing import sign_cash_count
from app.states import CountMoment, DayState


@dataclass
class OpeningMethod:
    """One row of the opening window."""

    code: str
    name: str
    is_cash: bool
    counted_as_items: bool
    balance_cents: int | None  # what the last closing left; None: no closing yet (the count is the float)


@dataclass
class OpeningCount:
    """What the opening window sent: the counts per method and a reason per difference."""

    counts: dict[str, MethodCount] = field(default_factory=dict)
    reasons: dict[str, str] = field(default_factory=dict)
    typed_float_cents: int | None = None  # the amount field; refused when counting is mandatory


@dataclass
class CountedOpening:
    """The checked opening: the cash float and one line per method for write_opening_lines."""

    float_cents: int
    lines: list[OpeningLine]
    counts: dict[str, MethodCount]


def carried_balances(session: Session, register_code: str) -> dict[str, int] | None:
    """What the register's last closing left in the drawer, per method; None before the first
    closing. Days closed before the remaining was kept per method left only their cash."""
    day = session.scalars(
        select(RegisterDay)
        .where(RegisterDay.register_code == register_code, RegisterDay.state == DayState.CLOSED)
        .order_by(RegisterDay.number.desc())
        .limit(1)
    ).first()
    if day is None:
        return None
    cash_codes = set(
        session.scalars(
            select(PaymentMethod.code).where(PaymentMethod.gives_change, PaymentMethod.counted_in_drawer)
        )
    )
    balances = {}
    for line in session.scalars(select(ClosingLine).where(ClosingLine.day_id == day.id)):
        if line.remaining_cents is not None:
            balances[line.method_code] = line.remaining_cents
        elif line.method_code in cash_codes:
            present = line.counted_cents if line.counted_cents is not None else line.expected_cents
            balances[line.method_code] = max(present - day.withdrawal_cents, 0)
    return balances


def opening_methods(session: Session, register_code: str | None) -> list[OpeningMethod]:
    """The methods the opening window counts — all but the shop's credit note (a code whose
    balance head office keeps, nothing in the drawer) — with what each starts from."""
    balances = carried_balances(session, register_code) if register_code else None
    return [
        OpeningMethod(
            m.code,
            m.name,
            m.gives_change and m.counted_in_drawer,
            m.counted_as_items,
            None if balances is None else balances.get(m.code, 0),
        )
        for m in session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.store_credit.is_(False))
            .order_by(PaymentMethod.position, PaymentMethod.code)
        )
    ]


def count_opening_float(session: Session, register, staff, request: OpeningCount, no) -> CountedOpening:
    """The float and the opening lines, checked before anything is written. `no(error)`
    refuses (journaled, nothing kept). Without mandatory counting the float is typed as
    before and the other methods start from what the last closing left."""
    methods = opening_methods(session, register.code)
    cash = next((m for m in methods if m.is_cash), None)
    typed = request.typed_float_cents
    if not register.counting_mandatory:
        if typed is None:
            no(InvalidInput(_l("Saisissez un montant.")))
        _check_float(typed, register, no)
        lines = [_line(m, typed if m is cash else (m.balance_cents or 0)) for m in methods]
        return CountedOpening(typed, lines, {})
    if typed is not None and cash is not None:
        # The manual: mandatory counting allows no change to « Fonds de caisse réel ». An amount
        # typed all the same (a tool, an older screen) is the cash counted as one total, compared
        # with what the last closing left like any count — never the float itself.
        if cash.code in request.counts:
            no(
                InvalidInput(
                    _l("Le comptage est obligatoire : le fonds de caisse ne se saisit pas, il se compte.")
                )
            )
        request.counts[cash.code] = MethodCount(cash.code, typed_cents=typed)
    counted = _counted(methods, request, no)
    cash_balance = cash.balance_cents if cash else None
    # Counting is not obligatory for a float the system computed as 0,00 € (the manual); before
    # the first closing nothing is computed, and the count is the float.
    if cash is not None and counted.get(cash.code) is None and cash_balance != 0:
        no(InvalidInput(_l("Le comptage du fonds de caisse est obligatoire.")))
    lines = []
    for method in methods:
        value = counted.get(method.code)
        if method.balance_cents is None:  # no closing yet: the count is the balance
            lines.append(_line(method, value or 0, value))
        else:
            lines.append(_line(method, method.balance_cents, value))
    float_cents = next((line.float_cents for line in lines if cash and line.method_code == cash.code), 0)
    if cash is not None and counted.get(cash.code) is not None:
        # The register's maximum float bounds the count, unless the last closing left more
        # (the shop could not open at all otherwise).
        _check_float(counted[cash.code], register, no, at_least=cash_balance or 0)
    _differences_noted(lines, request)
    return CountedOpening(float_cents, lines, {code: request.counts[code] for code in counted})


def _line(method: OpeningMethod, float_cents: int, counted: int | None = None) -> OpeningLine:
    return OpeningLine(
        method_code=method.code,
        method_name=method.name,
        float_cents=float_cents,
        counted_cents=counted,
        difference_cents=None if counted is None else counted - float_cents,
    )


def _check_float(amount_cents: int, register, no, at_least: int = 0) -> None:
    maximum = max(register.max_float_cents, at_least)
    if amount_cents < 0 or amount_cents > maximum:
        no(
            InvalidInput(
                _l("Le fonds de caisse doit être entre %(minimum)s et %(maximum)s."),
                minimum=format_euros(0),
                maximum=format_euros(maximum),
            )
        )


def _counted(methods: list[OpeningMethod], request: OpeningCount, no) -> dict[str, int]:
    known = {m.code: m for m in methods}
    counted = {}
    for code, count in request.counts.items():
        method = known.get(code)
        if method is None:
            no(InvalidInput(_l("Mode de paiement inconnu.")))
        try:
            check_agreement(count)
        except InvalidInput as error:
            no(error)
        if count.grid and any(count.grid.values()) and not method.is_cash:
            no(InvalidInput(_l("La grille des pièces et billets ne sert qu'aux espèces.")))
        if count.counted_cents is not None:
            counted[code] = count.counted_cents
    return counted


def _differences_noted(lines, request: OpeningCount) -> None:
    """A difference at opening is recorded with the reason given, if any: the manual asks for an
    authorisation only to close with a difference, and the opening must not keep the shop shut
    (the closing that follows compares with what the drawer really held)."""
    for line in lines:
        if line.difference_cents:
            line.difference_reason = (request.reasons.get(line.method_code) or "").strip()[:400] or None


def write_opening_lines(session: Session, day, staff, opening: CountedOpening, now) -> None:
    """In the opening's transaction: the lines, each count signed in the cash chain, and each
    difference journaled (a signed JET event)."""
    for line in opening.lines:
        line.day_id = day.id
        session.add(line)
    for code, count in opening.counts.items():
        cash_count = CashCount(
            day_id=day.id,
            moment=CountMoment.OPENING,
            method_code=code,
            counted_cents=count.counted_cents,
            item_count=count.items,
            counted_at=now,
            counted_by_code=staff.code,
            counted_by_name=staff.name,
            lines=[CashCountLine(value_cents=v, quantity=q) for v, q in sorted(count.grid.items()) if q],
        )
        session.add(cash_count)
        session.flush()
        sign_cash_count(session, day.register_code, cash_count, day.uuid)
    for line in opening.lines:
        if line.difference_cents:
            record(
                session,
                "opening_difference",
                actor=staff,
                register_code=day.register_code,
                subject_uuid=day.uuid,
                reason=line.difference_reason,
                method_code=line.method_code,
                float_cents=line.float_cents,
                counted_cents=line.counted_cents,
                difference_cents=line.difference_cents,
            )
