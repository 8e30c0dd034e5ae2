"""Fermer la caisse (docs/flows.md, « Closing »): the manager's password, the
refusal while tickets are in progress, then Valider la fermeture — counts, differences,
withdrawal, forced disconnections, the Z report — in one transaction."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import (
    PaymentMethod,
    Register,
    RegisterDay,
    utcnow,
)
from app.money import format_euros
from app.services.cashier_session_setting import refuse_closing_while_sessions_open
from app.services.closing.methods import MethodClosing, close_method
from app.services.closing.periods import close_periods
from app.services.closing.safe_closing import send_closing_remainder_to_safe
from app.services.closing.summary import DaySummary, summarise_day
from app.services.closing.zreport import queue_z_report
from app.services.counting import MethodCount, check_agreement
from app.services.errors import InvalidInput, StaleScreen, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import connected_sellers, register_state, tickets_in_progress
from app.services.opening import carried_balances
from app.services.people import authorise, require_right
from app.states import DayState, RegisterStateCode, Right


class TicketsInProgress(StateForbids):
    """Closing refused: the tickets are listed so the manager can have them finished or cancel them."""

    def __init__(self, tickets: list[dict]):
        super().__init__(_l("Fermeture impossible : %(count)s ticket(s) en cours."), count=len(tickets))
        self.tickets = tickets


class FiguresChanged(StaleScreen):
    """A sale or a cash movement landed while the count was typed: the page must be redrawn."""


@dataclass
class ClosingRequest:
    counts: dict[str, MethodCount] = field(default_factory=dict)
    withdrawal_cents: int = 0  # the cash's withdrawal, when `withdrawals` does not name it
    difference_reason: str = ""  # the reason of every difference that has none of its own
    withdrawals: dict[str, int] = field(default_factory=dict)  # per method
    reasons: dict[str, str] = field(default_factory=dict)  # per method (« Raison de la différence »)
    force: bool = False
    force_reason: str = ""
    seen: str | None = None  # DaySummary.fingerprint() of the page the count was typed on


def _describe(tickets) -> list[dict]:
    return [
        {
            "uuid": t.uuid,
            "status": t.status,
            "seller": t.seller_name,
            "total_cents": t.total_cents,
            "created_at": t.created_at,
            "kind": t.kind,
        }
        for t in tickets
    ]


def _open_day_or_refuse(session: Session, person_code):
    state = register_state(session)
    register_code = state.box.register_code
    if state.code != RegisterStateCode.OPEN:
        message = (
            _l("La caisse vient d'être fermée depuis un autre écran.")
            if state.code == RegisterStateCode.CLOSED_NOT_EXPORTED
            else _l("La caisse n'est pas ouverte.")
        )
        refuse(session, StateForbids(message), "close", actor=person_code, register_code=register_code)
    return state


def begin_closing(session: Session, person_code: str, password: str):
    """Fermer la caisse on the open register page: who closes, and nothing in progress."""
    state = _open_day_or_refuse(session, person_code)
    staff = authorise(
        session, person_code, password, Right.CLOSE, "close", register_code=state.box.register_code
    )
    in_progress = tickets_in_progress(session, state.open_day)
    if in_progress:
        refuse(
            session,
            TicketsInProgress(_describe(in_progress)),
            "close",
            actor=staff,
            register_code=state.box.register_code,
        )
    refuse_closing_while_sessions_open(
        session,
        state.open_day,
        lambda error: refuse(session, error, "close", actor=staff, register_code=state.box.register_code),
    )
    session.rollback()
    return staff


def close_day(
    session: Session,
    person_code: str,
    password: str,
    request: ClosingRequest | None = None,
    *,
    force: bool = False,
    force_reason: str = "",
) -> RegisterDay:
    """Valider la fermeture. Everything is re-read inside the write transaction, so a sale
    finishing meanwhile is either in this closing or refused with a message — never missed."""
    request = request or ClosingRequest(force=force, force_reason=force_reason)
    state = _open_day_or_refuse(session, person_code)
    register_code = state.box.register_code
    staff = authorise(session, person_code, password, Right.CLOSE, "close", register_code=register_code)
    day = close_open_day(session, state, staff, request)
    session.commit()
    return day


def close_open_day(session: Session, state, staff, request: ClosingRequest, *, by_system: bool = False):
    """The closing itself, in the caller's write transaction (which commits it): a manager's
    Valider la fermeture, or the scheduler's « Clôture automatique de la journée » (by_system:
    no right to check, nobody to count — docs/closing.md, « Automatic closing »)."""
    register_code = state.box.register_code
    day = state.open_day

    def no(error, **details):
        refuse(session, error, "close", actor=staff, register_code=register_code, **details)

    sellers = _nobody_left_selling(session, day, staff, register_code, request, no, by_system)
    summary = summarise_day(session, day, full=True)
    if request.seen is not None and request.seen != summary.fingerprint():
        no(
            FiguresChanged(
                _l(
                    "Une vente ou un mouvement d'espèces a eu lieu pendant le comptage : "
                    "vérifiez les montants et validez à nouveau."
                )
            )
        )
    closings = _checked_methods(session, summary, request, staff, register_code, no, by_system)
    withdrawal = next((c.withdrawal_cents for c in closings if c.row.is_cash), 0)

    now = utcnow()
    _disconnect(session, sellers, staff, day, register_code, request, now)
    for closing in closings:  # each returns its closing line: what it leaves (remaining_cents)
        close_method(session, state, day, staff, closing, now)
    periods = close_periods(session, day, summary, now, staff)
    _mark_closed(
        session,
        day,
        staff,
        register_code,
        summary,
        forced=bool(sellers) or by_system,
        withdrawal=withdrawal,
        now=now,
        perpetual_cents=periods.fields["perpetual_cents"],
        automatic=by_system,
    )
    send_closing_remainder_to_safe(session, day, staff, now)  # the safe's methods leave the drawer
    queue_z_report(session, day, summary, periods)  # the withdrawal is apart from these figures
    return day


def _nobody_left_selling(
    session: Session, day, staff, register_code, request: ClosingRequest, no, by_system: bool = False
) -> list:
    """No ticket in progress; connected sellers only with the right to force, and a reason.
    Returns the sellers the closing disconnects."""
    in_progress = tickets_in_progress(session, day)
    if in_progress:
        no(TicketsInProgress(_describe(in_progress)))
    refuse_closing_while_sessions_open(session, day, no)  # cashier sessions: each one closed first
    sellers = connected_sellers(session, day)
    if sellers and not request.force:
        no(StateForbids(_l("Un ou plusieurs utilisateurs sont encore connectés.")))
    if sellers and not by_system:
        require_right(session, staff, Right.FORCE_CLOSE, "close", register_code=register_code)
        if not request.force_reason.strip():
            no(InvalidInput(_l("Donnez le motif de la fermeture forcée.")))
    return sellers


def _checked_methods(
    session: Session,
    summary: DaySummary,
    request: ClosingRequest,
    staff,
    register_code,
    no,
    by_system: bool = False,
) -> list[MethodClosing]:
    """Each method as typed: the count (the cash's when the register demands it), the
    difference with what was expected (the right, and a reason per method), the withdrawal."""
    counted = _counted(summary, request, no)
    register = session.get(Register, register_code)
    cash = summary.cash
    if (
        not by_system  # nobody counts at an automatic closing: the manager does, at the next opening
        and register is not None
        and register.counting_mandatory
        and cash is not None
        and cash.expected_cents != 0
        and counted.get(cash.code) is None
    ):
        no(InvalidInput(_l("Le comptage du fonds de caisse est obligatoire.")))
    closings = [
        MethodClosing(
            row=method,
            counted_cents=counted.get(method.code),
            count=request.counts.get(method.code),
            withdrawal_cents=_withdrawal(request, method),
            reason=(request.reasons.get(method.code) or request.difference_reason).strip()[:400] or None,
        )
        for method in summary.methods
    ]
    differing = [c for c in closings if c.difference_cents]
    if differing:
        require_right(session, staff, Right.ACCEPT_DIFFERENCE, "close", register_code=register_code)
        missing = [c for c in differing if not c.reason]
        if missing:
            no(
                InvalidInput(
                    _l("Écart de caisse de %(difference)s : donnez-en le motif pour valider."),
                    difference=", ".join(f"{c.row.name} {format_euros(c.difference_cents)}" for c in missing),
                )
            )
    for closing in closings:
        _check_withdrawal(closing, no)
    return closings


def _withdrawal(request: ClosingRequest, method) -> int:
    if method.code in request.withdrawals:
        return request.withdrawals[method.code]
    return request.withdrawal_cents if method.is_cash else 0


def _check_withdrawal(closing: MethodClosing, no) -> None:
    """What is taken out of the drawer: never more than what the method holds (counted, else
    expected); nothing of the shop's credit note, which is not in the drawer."""
    withdrawal, present, row = closing.withdrawal_cents, closing.present_cents, closing.row
    if withdrawal and row.store_credit:
        no(InvalidInput(_l("%(method)s n'est pas dans le tiroir : rien à retirer."), method=row.name))
    if withdrawal < 0 or withdrawal > max(present, 0):
        if row.is_cash:
            no(
                InvalidInput(
                    _l("Le retrait (%(withdrawal)s) dépasse les espèces présentes (%(present)s)."),
                    withdrawal=format_euros(withdrawal),
                    present=format_euros(present),
                )
            )
        no(
            InvalidInput(
                _l("Le retrait de %(method)s (%(withdrawal)s) dépasse ce qui est présent (%(present)s)."),
                method=row.name,
                withdrawal=format_euros(withdrawal),
                present=format_euros(present),
            )
        )


def _disconnect(session: Session, sellers, staff, day, register_code, request: ClosingRequest, now) -> None:
    """A forced closing disconnects the sellers still connected, journaled with its reason."""
    for seller in sellers:
        seller.disconnected_at, seller.forced_by_code = now, staff.code
    if sellers:
        record(
            session,
            "force_close",
            actor=staff,
            register_code=register_code,
            subject_uuid=day.uuid,
            reason=request.force_reason.strip()[:400],
            sellers=[s.staff_code for s in sellers],
        )


def _mark_closed(
    session: Session,
    day,
    staff,
    register_code,
    summary: DaySummary,
    *,
    forced: bool,
    withdrawal: int,
    now,
    perpetual_cents: int,
    automatic: bool = False,
) -> None:
    """The day's final figures; its grand total is the period record's perpetual total."""
    day.state = DayState.CLOSED
    day.closed_at = now
    day.closed_by_code, day.closed_by_name = staff.code, staff.name
    day.forced = forced
    day.ticket_count = summary.ticket_count
    day.sales_total_cents = summary.net_cents
    day.withdrawal_cents = withdrawal
    day.grand_total_cents = perpetual_cents
    session.flush()
    record(
        session,
        "close",
        actor=staff,
        register_code=register_code,
        subject_uuid=day.uuid,
        forced=forced,
        ticket_count=summary.ticket_count,
        net_cents=summary.net_cents,
        withdrawal_cents=withdrawal,
        **({"automatic": True} if automatic else {}),
    )


def _counted(summary: DaySummary, request: ClosingRequest, no) -> dict[str, int | None]:
    counted = {}
    for code, count in request.counts.items():
        method = summary.method(code)
        if method is None:
            no(InvalidInput(_l("Mode de paiement inconnu.")))
        try:
            check_agreement(count)
        except InvalidInput as error:
            no(error)
        if count.grid and not method.is_cash:
            no(InvalidInput(_l("La grille des pièces et billets ne sert qu'aux espèces.")))
        counted[code] = count.counted_cents
    return counted


def suggested_float(session: Session, register_code: str | None) -> int | None:
    """What stayed in the drawer at the last closing: the next day's float, suggested."""
    if not register_code:
        return None
    balances = carried_balances(session, register_code)
    if balances is None:
        return None
    cash = session.scalars(
        select(PaymentMethod.code)
        .where(PaymentMethod.gives_change, PaymentMethod.counted_in_drawer)
        .order_by(PaymentMethod.position)
    ).first()
    return balances.get(cash) if cash in balances else None
