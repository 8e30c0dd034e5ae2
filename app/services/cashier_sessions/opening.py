"""Ouverture de la session (docs/cashier-sessions.md): the window shown after Connecter —
currency, « Solde initial » (what the cashier's last session here left them), « Dépôt »
typed or counted with « Calculer la caisse » — and Valider, which opens the session, signs
it in the cash chain and writes the deposit as an RC « Dépôt à l'ouverture du jour »."""

import re
from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import CashierSession, CashierSessionLine, PaymentMethod, Staff, new_uuid, utcnow
from app.money import format_euros
from app.services.cashier_session_setting import sessions_on
from app.services.closing.cash import CashDocument, write_cash_document
from app.services.closing.cashier_session import only_denominations
from app.services.closing.counting import MethodCount, check_agreement
from app.services.closing.sheet import denominations
from app.services.errors import InvalidInput, RightMissing, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, register_state
from app.services.sequences import next_number
from app.services.signing import sign_cashier_session
from app.states import CashierSessionStatus, CashMovementKind, RegisterStateCode, Right

DEPOSIT_REASON = "Dépôt à l'ouverture du jour"  # the manual's description, word for word
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


@dataclass(frozen=True)
class OpeningWindow:
    currency: str
    initial_cents: int
    max_cents: int  # the register's largest float: a deposit beyond it is a typing slip


def _cash_code(session: Session) -> str | None:
    return session.scalars(
        select(PaymentMethod.code)
        .where(PaymentMethod.gives_change, PaymentMethod.counted_in_drawer)
        .order_by(PaymentMethod.position)
    ).first()


def carried_balance(session: Session, register_code: str, staff_code: str) -> int:
    """« Solde initial »: the cash the cashier's last closed session on this register left
    (« l'utilisateur … commencera la prochaine session de caisse avec eux »); 0 the first time.
    Every other method starts at 0,00 (the manual)."""
    cash = _cash_code(session)
    remaining = session.scalar(
        select(CashierSessionLine.remaining_cents)
        .join(CashierSession, CashierSession.id == CashierSessionLine.session_id)
        .where(
            CashierSession.register_code == register_code,
            CashierSession.staff_code == staff_code,
            CashierSession.status == CashierSessionStatus.CLOSED,
            CashierSessionLine.method_code == cash,
        )
        .order_by(CashierSession.number.desc())
        .limit(1)
    )
    return remaining or 0


def new_session_uuid() -> str:
    """The uuid the opening window is drawn with: Valider opens the session under it, once."""
    return new_uuid()


def opening_window(session: Session, staff_code: str) -> OpeningWindow:
    state = register_state(session)
    if state.code != RegisterStateCode.OPEN:
        raise StateForbids(_l("La caisse n'est pas ouverte."))
    return OpeningWindow(
        state.shop.currency if state.shop else "EUR",
        carried_balance(session, state.box.register_code, staff_code),
        state.register.max_float_cents,
    )


def open_cashier_session(
    session: Session,
    staff_code: str,
    deposit: MethodCount,
    *,
    session_uuid: str | None = None,
    posted_token: str | None = None,
) -> CashierSession:
    """Valider. `staff_code` is the seller connected on this screen (they typed their code
    to connect). `session_uuid` comes with the window: a second tap finds the session the
    first one opened and writes nothing."""
    if session_uuid is not None:
        if not _UUID.fullmatch(session_uuid):
            raise InvalidInput(_l("Ce formulaire est incomplet : rouvrez-le."))
        done = session.scalar(select(CashierSession).where(CashierSession.uuid == session_uuid))
        if done is not None:
            session.rollback()
            return done
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    register_code = state.box.register_code

    def no(error):
        refuse(session, error, "cashier_session_open", actor=staff_code, register_code=register_code)

    if state.code != RegisterStateCode.OPEN:
        no(StateForbids(_l("La caisse n'est pas ouverte.")))
    if not sessions_on(session):
        no(StateForbids(_l("Cette boutique ne travaille pas par session de caisse.")))
    staff = session.get(Staff, staff_code)
    if staff is None or not staff.has_right(Right.OPEN_SESSION_OFFLINE):
        # The manual's message, word for word: the box keeps the sessions itself (there is no
        # POS Agent service to ask), so every opening here is an opening « hors ligne ».
        no(
            RightMissing(
                _l("L'utilisateur ne possède pas de droits pour ouvrir une session de caisse hors ligne.")
            )
        )
    deposit = MethodCount(
        deposit.method_code, deposit.typed_cents, only_denominations(deposit.grid, denominations(session))
    )
    check_agreement(deposit)
    amount = deposit.counted_cents or 0
    if not 0 <= amount <= state.register.max_float_cents:
        no(
            InvalidInput(
                _l("Le dépôt doit être entre %(minimum)s et %(maximum)s."),
                minimum=format_euros(0),
                maximum=format_euros(state.register.max_float_cents),
            )
        )
    opened = CashierSession(
        register_code=register_code,
        number=next_number(session, register_code, "cashier_session"),
        day_id=state.open_day.id,
        staff_code=staff.code,
        staff_name=staff.name,
        status=CashierSessionStatus.OPEN,
        currency=state.shop.currency if state.shop else "EUR",
        opened_at=utcnow(),
        initial_cents=carried_balance(session, register_code, staff.code),
        deposit_cents=amount,
        **({"uuid": session_uuid} if session_uuid else {}),
    )
    session.add(opened)
    try:
        session.flush()
    except IntegrityError:
        # Already open on this register (another screen, or the tablet): the unique index
        # lets one through.
        no(StateForbids(_l("Votre session de caisse est déjà ouverte sur cette caisse.")))
    sign_cashier_session(session, opened, state.open_day.uuid, "session_open")
    if amount:
        write_cash_document(
            session,
            state,
            staff,
            CashDocument(CashMovementKind.IN, amount, DEPOSIT_REASON),
            cashier_session_id=opened.id,
        )
    record(
        session,
        "cashier_session_open",
        actor=staff,
        register_code=register_code,
        subject_uuid=opened.uuid,
        number=opened.number,
        initial_cents=opened.initial_cents,
        deposit_cents=amount,
    )
    session.commit()
    return opened
