"""The Liste des transactions' two actions (docs/card-transactions.md), each a document with
its UUID, its number in the register's « card » sequence, its record in the register's card
chain, its own right and a line in the journal:

- Annuler: a card payment (or refund) of the open day is cancelled on the terminal; the
  document takes its amount back out of (or puts it back into) the day's card total, so the
  Z's expected card amount is what the bank will pay. Another day's transaction is refused:
  its day is closed and its Z signed.
- Remboursement manuel: money given back on the card for a transaction the register never
  recorded (the manual: the till had crashed): out of the day's card total.

Neither changes a ticket: the sale stays a sale (a return is the way to take goods back)."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from app.models import CardTransaction, PaymentMethod, RegisterDay, new_uuid, utcnow
from app.services.cards.listing import CANCELLATION, card_methods, find_transaction
from app.services.closing.cash import check_movement_amount, refuse_unless_open, written_before
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, register_state
from app.services.people import authorise, require_viewer
from app.services.sequences import next_number
from app.services.signing import sign_card_transaction
from app.states import CardTransactionStatus, Right

CANCEL, REFUND = "cancel_card_transaction", "manual_card_refund"  # journal actions (JET events)


@dataclass(frozen=True)
class ManualRefund:
    """What the Remboursement manuel form says."""

    amount_cents: int
    method_code: str | None
    reason: str


def _open_register(session: Session, action: str, posted_token: str | None):
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    refuse_unless_open(session, state, action)
    return state


def _write(session: Session, state, staff, action: str, **fields) -> CardTransaction:
    """Number, sign and journal the document in the caller's transaction, then commit."""
    register_code = state.box.register_code
    document = CardTransaction(
        register_code=register_code,
        day_id=state.open_day.id,
        number=next_number(session, register_code, "card"),
        created_at=utcnow(),
        created_by_code=staff.code,
        created_by_name=staff.name,
        **fields,
    )
    session.add(document)
    try:
        session.flush()
    except IntegrityError:
        # Every write is BEGIN IMMEDIATE, so two tablets are served one after the other and
        # the second is refused by check_cancellable; the unique indexes (cancels_uuid, uuid)
        # are the database's own guard should a writer ever skip that check.
        session.rollback()
        raise StateForbids(
            _l("Cette transaction a déjà été annulée.")
            if fields.get("cancels_uuid")
            else _l("Ce remboursement est déjà enregistré.")
        ) from None
    sign_card_transaction(session, document, state.open_day.uuid)
    record(
        session,
        action,
        actor=staff,
        register_code=register_code,
        subject_uuid=document.uuid,
        status=document.status,
        number=document.number,
        amount_cents=document.amount_cents,
        method=document.method_code,
        cancels=document.cancels_uuid,
        reason=document.reason or None,
    )
    session.commit()
    return document


def check_cancellable(session: Session, state, uuid: str):
    """The transaction Annuler would cancel, or the refusal a person reads (journaled), before
    any password is asked."""
    found = find_transaction(session, uuid or "")
    if found is None:
        raise InvalidInput(_l("Transaction inconnue."))
    problem = None
    if found.status not in CANCELLATION:
        problem = StateForbids(_l("Une annulation ne peut pas être annulée."))
    elif found.cancelled_by is not None:
        problem = StateForbids(
            _l("Cette transaction a déjà été annulée (document n° %(number)s)."), number=found.cancelled_by
        )
    elif state.open_day is None or found.day_id != state.open_day.id:
        day = session.get(RegisterDay, found.day_id)
        problem = StateForbids(
            _l(
                "Seule une transaction de la journée en cours peut être annulée : celle-ci date de la"
                " journée n° %(day)s, déjà fermée. Faites un remboursement manuel si le client doit"
                " être remboursé."
            ),
            day=day.number if day else "?",
        )
    if problem is not None:
        refuse(session, problem, CANCEL, register_code=state.box.register_code, cancels=found.uuid)
    return found


def cancellation(session: Session, uuid: str, viewer):
    """Annuler's confirmation page: the transaction, once the list's rules allow cancelling it."""
    require_viewer(session, viewer, Right.CANCEL_CARD_TRANSACTION, "view_card_transactions")
    state = _open_register(session, CANCEL, None)
    found = check_cancellable(session, state, uuid)
    session.rollback()
    return found


def cancel_card_transaction(
    session: Session,
    person_code: str,
    password: str,
    uuid: str,
    *,
    posted_token: str | None = None,
) -> CardTransaction:
    """Annuler: the payment's (or refund's) cancellation, numbered, signed and journaled. The
    manual asks no reason: the document says what it cancels."""
    state = _open_register(session, CANCEL, posted_token)
    found = check_cancellable(session, state, uuid)
    staff = authorise(
        session,
        person_code,
        password,
        Right.CANCEL_CARD_TRANSACTION,
        CANCEL,
        register_code=state.box.register_code,
    )
    return _write(
        session,
        state,
        staff,
        CANCEL,
        status=CANCELLATION[found.status],
        method_code=found.method_code,
        method_name=found.method,
        amount_cents=found.amount_cents,
        cancels_uuid=found.uuid,
        reason="",
    )


def manual_refund_form(session: Session, viewer) -> dict:
    """The Remboursement manuel form: the card methods, and the uuid Valider writes under."""
    require_viewer(session, viewer, Right.MANUAL_CARD_REFUND, "view_card_transactions")
    _open_register(session, REFUND, None)
    methods = card_methods(session)
    if not methods:
        raise StateForbids(_l("Aucun mode de paiement par carte : le siège n'en a pas défini."))
    session.rollback()
    return {"methods": methods, "document_uuid": new_uuid()}


def check_manual_refund(session: Session, refund: ManualRefund) -> PaymentMethod:
    """Everything a Remboursement manuel must be before anyone's password is asked."""
    check_movement_amount(refund.amount_cents)  # one card payment: never more than a DC/RC moves
    method = session.get(PaymentMethod, refund.method_code or "")
    if method is None or not method.is_card:
        raise InvalidInput(_l("Choisissez une carte : un remboursement manuel se fait sur la carte."))
    if not refund.reason.strip():
        raise InvalidInput(_l("Donnez le motif du remboursement."))
    return method


def refund_card_manually(
    session: Session,
    person_code: str,
    password: str,
    refund: ManualRefund,
    *,
    document_uuid: str | None = None,
    posted_token: str | None = None,
) -> CardTransaction:
    """Remboursement manuel: money given back on the card, numbered, signed and journaled.
    `document_uuid` is drawn with the form: a second tap finds the first one's document."""
    if document_uuid is not None:
        done = written_before(session, CardTransaction, document_uuid)
        if done is not None:
            return done
    state = _open_register(session, REFUND, posted_token)
    method = check_manual_refund(session, refund)
    staff = authorise(
        session,
        person_code,
        password,
        Right.MANUAL_CARD_REFUND,
        REFUND,
        register_code=state.box.register_code,
    )
    return _write(
        session,
        state,
        staff,
        REFUND,
        status=CardTransactionStatus.REFUND,
        method_code=method.code,
        method_name=method.name,
        amount_cents=refund.amount_cents,
        cancels_uuid=None,
        reason=" ".join(refund.reason.split())[:400],
        **({"uuid": document_uuid} if document_uuid else {}),
    )
