"""Saisir la recette (docs/cashier-sessions.md, the manual's « Fermeture de la session »):
per payment method, Solde initial, Montants des paiements, Solde final, the Fonds de caisse
réel typed or counted (« Calculer la caisse »), the Retrait and what remains — which the
cashier's next session starts with. The cashier closes their own session; a manager with
« Fermeture des sessions de caisse d'autres opérateurs » closes anyone's, typing the takings."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from app.models import (
    CashierSession,
    CashierSessionLine,
    Payment,
    PaymentMethod,
    Register,
    SellerSession,
    Ticket,
    utcnow,
)
from app.money import format_euros
from app.services.closing.cash import CashDocument, write_cash_document, write_difference_document
from app.services.closing.counting import MethodCount, check_agreement
from app.services.closing.methods import WITHDRAWAL_REASON
from app.services.closing.sheet import denominations
from app.services.errors import InvalidInput, StaleScreen, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import register_state
from app.services.people import authenticate, require_right, require_viewer
from app.services.signing import sign_cashier_session
from app.states import CashierSessionStatus, CashMovementKind, RegisterStateCode, Right, TicketStatus

# The description of a session's DC/RC of a difference: stored as written, like the
# withdrawal's (the form has no reason field: the manual's session window has none).
SESSION_DIFFERENCE_REASON = "Écart à la fermeture de la session de caisse n° {number}"


@dataclass
class MethodLine:
    code: str
    name: str
    is_cash: bool
    counted_as_items: bool
    initial_cents: int = 0
    payments_cents: int = 0

    @property
    def final_cents(self) -> int:
        return self.initial_cents + self.payments_cents


@dataclass
class SessionSheet:
    cashier_session: CashierSession
    methods: list[MethodLine]
    denominations: list[int]
    counting_mandatory: bool

    def fingerprint(self) -> str:
        """What the window was drawn from: a sale finished since changes it."""
        return ";".join(f"{m.code}={m.payments_cents}" for m in self.methods)

    @property
    def cash(self) -> MethodLine | None:
        return next((m for m in self.methods if m.is_cash), None)


@dataclass
class SessionClosing:
    """What « Saisir la recette » says: per method the real amount typed (None: not typed)
    and the withdrawal; the cash grid of « Calculer la caisse » (cents → pieces)."""

    reals: dict[str, int | None] = field(default_factory=dict)
    withdrawals: dict[str, int] = field(default_factory=dict)
    grid: dict[int, int] = field(default_factory=dict)
    seen: str | None = None


def _find(session: Session, session_uuid: str, state) -> CashierSession:
    found = session.scalar(select(CashierSession).where(CashierSession.uuid == (session_uuid or "")))
    if found is None:
        raise StateForbids(_l("Session de caisse inconnue."))
    if found.register_code != state.box.register_code:
        raise StateForbids(
            _l("Cette session de caisse appartient à une autre caisse (%(register)s)."),
            register=found.register_code,
        )
    return found


def _lines(session: Session, cashier_session: CashierSession) -> list[MethodLine]:
    methods = {
        m.code: MethodLine(m.code, m.name, m.gives_change and m.counted_in_drawer, m.counted_as_items)
        for m in session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.store_credit.is_(False))
            .order_by(PaymentMethod.position, PaymentMethod.code)
        )
    }
    for code, total in session.execute(
        select(Payment.method_code, func.sum(Payment.amount_cents))
        .join(Ticket, Ticket.id == Payment.ticket_id)
        .where(
            Ticket.cashier_session_id == cashier_session.id,
            Ticket.status == TicketStatus.FINISHED,
            Ticket.training.is_(False),
        )
        .group_by(Payment.method_code)
    ):
        methods.setdefault(code, MethodLine(code, code, False, False)).payments_cents = total
    cash = next((m for m in methods.values() if m.is_cash), None)
    if (
        cash is not None
    ):  # « Pour les modes de paiement autres que les espèces, le solde est toujours de 0,00 »
        cash.initial_cents = cashier_session.initial_cents + cashier_session.deposit_cents
    return list(methods.values())


def session_sheet(session: Session, session_uuid: str, viewer) -> SessionSheet:
    """The window « Saisir la recette » of anyone's session, for a manager."""
    require_viewer(session, viewer, Right.CLOSE_OTHER_SESSIONS, "view_cashier_sessions")
    return _sheet(session, _find(session, session_uuid, register_state(session)))


def own_session_sheet(session: Session, staff_code: str) -> SessionSheet:
    """« Récapitulatif de la session de caisse »: the connected cashier's own open session."""
    state = register_state(session)
    found = session.scalar(
        select(CashierSession).where(
            CashierSession.register_code == state.box.register_code,
            CashierSession.staff_code == staff_code,
            CashierSession.status == CashierSessionStatus.OPEN,
        )
    )
    if found is None:
        raise StateForbids(_l("Vous n'avez pas de session de caisse ouverte sur cette caisse."))
    return _sheet(session, found)


def _sheet(session: Session, found: CashierSession) -> SessionSheet:
    register = session.get(Register, found.register_code)
    return SessionSheet(
        found,
        _lines(session, found),
        denominations(session),
        bool(register and register.counting_mandatory),
    )


def close_cashier_session(
    session: Session, session_uuid: str, person_code: str, password: str, closing: SessionClosing
) -> CashierSession:
    """Valider: the lines written, the session signed closed, a DC « Retrait à la clôture de
    la journée » per method withdrawn — one transaction."""
    state = register_state(session)
    register_code = state.box.register_code

    def no(error, actor=person_code, **details):
        refuse(session, error, "cashier_session_close", actor=actor, register_code=register_code, **details)

    if state.code != RegisterStateCode.OPEN:
        no(StateForbids(_l("La caisse n'est pas ouverte.")))
    try:
        closed = _find(session, session_uuid, state)
    except StateForbids as error:
        no(error)
    if closed.status == CashierSessionStatus.CLOSED:
        no(StateForbids(_l("Cette session de caisse est déjà fermée.")), session_number=closed.number)
    staff = authenticate(session, person_code, password, "cashier_session_close", register_code=register_code)
    # Their own session with the right to sell; anyone else's only with the manual's right.
    right = Right.SELL if staff.code == closed.staff_code else Right.CLOSE_OTHER_SESSIONS
    require_right(session, staff, right, "cashier_session_close", register_code=register_code)
    in_progress = session.scalar(
        select(func.count())
        .select_from(Ticket)
        .where(
            Ticket.cashier_session_id == closed.id,
            Ticket.status.in_((TicketStatus.OPEN, TicketStatus.SUSPENDED)),
        )
    )
    if in_progress:
        no(StateForbids(_l("Fermeture impossible : %(count)s ticket(s) en cours."), count=in_progress), staff)
    lines = _lines(session, closed)
    sheet = SessionSheet(closed, lines, [], False)
    if closing.seen is not None and closing.seen != sheet.fingerprint():
        no(
            StaleScreen(
                _l(
                    "Une vente ou un mouvement d'espèces a eu lieu pendant le comptage : "
                    "vérifiez les montants et validez à nouveau."
                )
            ),
            staff,
        )
    register = session.get(Register, register_code)
    grid = only_denominations(closing.grid, denominations(session))
    mandatory = bool(register and register.counting_mandatory)
    written = [_line(line, closing, grid, mandatory) for line in lines]
    differences = {
        w.method_code: w.real_cents - w.final_cents for w in written if w.real_cents != w.final_cents
    }
    if differences:
        require_right(
            session, staff, Right.ACCEPT_DIFFERENCE, "cashier_session_close", register_code=register_code
        )
    _write(session, state, closed, staff, written, differences)
    _cashier_leaves(session, state, closed)
    session.commit()
    return closed


def _cashier_leaves(session: Session, state, closed: CashierSession) -> None:
    """Their session closed, the cashier can sell no more on this register: they are
    disconnected from it (on every screen), as Déconnecter would — otherwise the day's closing
    finds them « encore connectés » and needs a forced closing. The session had no ticket in
    progress, so nothing is left on a till."""
    now = utcnow()
    for seller in session.scalars(
        select(SellerSession).where(
            SellerSession.day_id == state.open_day.id,
            SellerSession.staff_code == closed.staff_code,
            SellerSession.disconnected_at.is_(None),
        )
    ):
        seller.disconnected_at = now
        record(
            session,
            "disconnect",
            actor=seller.staff_code,
            register_code=state.box.register_code,
            subject_uuid=seller.uuid,
        )


def close_sessions_by_system(session: Session, state, system) -> None:
    """« Clôture automatique de la journée »: the sessions still open are closed by the system
    in the closing's transaction, with the takings as the figures say (nobody counted: no
    difference, no withdrawal) — each cashier's next session starts with them."""
    still_open = session.scalars(
        select(CashierSession)
        .where(CashierSession.day_id == state.open_day.id, CashierSession.status == CashierSessionStatus.OPEN)
        .order_by(CashierSession.number)
    )
    for closed in list(still_open):
        written = [_line(line, SessionClosing(), {}, False) for line in _lines(session, closed)]
        _write(session, state, closed, system, written, {})


def _write(session: Session, state, closed, staff, written: list, differences: dict) -> None:
    """The lines, the session closed and signed, its withdrawals, the journal."""
    now = utcnow()
    closed.lines = written
    closed.status = CashierSessionStatus.CLOSED
    closed.closed_at = now
    closed.closed_by_code = staff.code
    closed.closed_by_name = staff.name
    session.flush()
    sign_cashier_session(session, closed, state.open_day.uuid, "session_close")
    # Each accepted difference has its DC/RC, as at the day's closing (the manual's « document
    # DC/RC généré automatiquement pour la différence »), written before the withdrawals: what
    # was found is in the drawer, and may be withdrawn.
    for code, difference in differences.items():
        method = session.get(PaymentMethod, code)
        if method is not None:
            write_difference_document(
                session,
                state,
                state.open_day,
                staff,
                method,
                difference,
                SESSION_DIFFERENCE_REASON.format(number=closed.number),
                now,
                cashier_session_id=closed.id,
            )
    for line in written:
        if line.withdrawal_cents:
            write_cash_document(
                session,
                state,
                staff,
                CashDocument(
                    CashMovementKind.OUT, line.withdrawal_cents, WITHDRAWAL_REASON, line.method_code
                ),
                cashier_session_id=closed.id,
            )
    _journal(session, closed, staff, state.box.register_code, differences)


def only_denominations(grid: dict[int, int], values: list[int]) -> dict[int, int]:
    """The pieces of the register's own notes and coins: a form may post any name."""
    return {value: pieces for value, pieces in grid.items() if value in values}


def _line(
    line: MethodLine, closing: SessionClosing, grid: dict, counting_mandatory: bool
) -> CashierSessionLine:
    count = MethodCount(
        line.code, typed_cents=closing.reals.get(line.code), grid=grid if line.is_cash else {}
    )
    check_agreement(count)
    real = count.counted_cents
    if real is None:
        if line.is_cash and counting_mandatory and line.final_cents:
            # The manual's message (« Comptage obligatoire du fonds de caisse »).
            raise InvalidInput(_l("Le comptage du fonds de caisse est obligatoire."))
        real = line.final_cents  # nothing typed: the takings are as the figures say
    withdrawal = closing.withdrawals.get(line.code, 0)
    if withdrawal < 0 or withdrawal > real:
        raise InvalidInput(
            _l("Le retrait en %(method)s doit être entre %(minimum)s et le fonds réel (%(real)s)."),
            method=line.name,
            minimum=format_euros(0),
            real=format_euros(real),
        )
    return CashierSessionLine(
        method_code=line.code,
        method_name=line.name,
        initial_cents=line.initial_cents,
        payments_cents=line.payments_cents,
        final_cents=line.final_cents,
        real_cents=real,
        withdrawal_cents=withdrawal,
        remaining_cents=real - withdrawal,
    )


def _journal(session: Session, closed, staff, register_code, differences: dict) -> None:
    for code, difference in differences.items():
        record(
            session,
            "accept_difference",
            actor=staff,
            register_code=register_code,
            subject_uuid=closed.uuid,
            method_code=code,
            difference_cents=difference,
            cashier_session=closed.number,
        )
    record(
        session,
        "cashier_session_close",
        actor=staff,
        register_code=register_code,
        subject_uuid=closed.uuid,
        number=closed.number,
        cashier=closed.staff_code,
        by_other=staff.code != closed.staff_code,
    )
