"""Dépôt Coffre-fort and Retrait Coffre-fort (docs/safe.md): amount, method, payer and
description; numbered, signed in the register's safe chain, journaled, in one transaction.

« Si le payeur est défini en tant que Client, les dépôts/retraits affectent uniquement le
solde du coffre-fort. Cependant, si le payeur est un employé, les dépôts/retraits affectent le
solde du coffre-fort et automatiquement le fonds de caisse du tiroir » (the manual): an
employee's deposit is also a DC/RC taking the money out of the drawer (a withdrawal, one
putting it in), written by the cash documents' own rule (app/services/closing/cash.py) in the
same transaction."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.devices.queue import enqueue
from app.models import PaymentMethod, SafeMovement, new_uuid, utcnow
from app.money import format_euros
from app.services.closing.cash import (
    CashDocument,
    check_movement_amount,
    document_slip,
    payer_columns,
    read_payer,
    refuse_unless_open,
    write_cash_document,
    written_before,
)
from app.services.closing.safe import read_safe, shop_with_safe
from app.services.errors import InvalidInput
from app.services.journal import record
from app.services.lifecycle import check_state_fresh, register_state
from app.services.people import authorise, require_viewer
from app.services.sequences import next_number
from app.services.signing import sign_safe_movement
from app.states import CashMovementKind, PayerKind, PrintJobKind, Right

# What the DC/RC an employee's movement makes says it is.
DRAWER_REASONS = {CashMovementKind.IN: "Dépôt Coffre-fort", CashMovementKind.OUT: "Retrait Coffre-fort"}


@dataclass(frozen=True)
class SafeOperation:
    """What the Dépôt/Retrait form says."""

    kind: str  # CashMovementKind: in = Dépôt (into the safe), out = Retrait
    amount_cents: int
    method_code: str
    payer_kind: str | None
    payer: str | None  # a customer's typed name (the bank, a carrier), or an employee's code
    description: str


@dataclass(frozen=True)
class SafeResult:
    movement: SafeMovement
    warnings: list[str]  # the safe's reminders after the movement (the limit reached…)


def new_safe_movement() -> str:
    """The uuid the form is drawn with: Valider writes the movement under it, once."""
    return new_uuid()


def safe_methods(session: Session) -> list[PaymentMethod]:
    """The methods head office flags « Prendre en compte dans le coffre-fort »."""
    return list(
        session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.goes_to_safe, PaymentMethod.store_credit.is_(False))
            .order_by(PaymentMethod.position, PaymentMethod.code)
        )
    )


def safe_form_methods(session: Session, viewer) -> list[PaymentMethod]:
    """What the Dépôt/Retrait form offers, for a person who may see the safe of a shop that
    keeps one."""
    require_viewer(session, viewer, Right.SAFE, "view_safe")
    shop_with_safe(session)
    return safe_methods(session)


def _checked(session: Session, state, operation: SafeOperation):
    """Everything the form must be before anyone's password is asked; (method, payer)."""
    refuse_unless_open(session, state, "safe_movement")
    if operation.kind not in (CashMovementKind.IN, CashMovementKind.OUT):
        raise InvalidInput(_l("Choisissez un dépôt ou un retrait."))
    check_movement_amount(operation.amount_cents)
    method = session.get(PaymentMethod, operation.method_code or "")
    if method is None:
        raise InvalidInput(_l("Mode de paiement inconnu."))
    if not method.goes_to_safe or method.store_credit:
        raise InvalidInput(_l("%(method)s n'est pas pris en compte dans le coffre-fort."), method=method.name)
    if not operation.payer_kind:
        raise InvalidInput(_l("Choisissez le payeur : un client ou un employé."))
    payer = read_payer(session, _drawer_document(operation, ""))
    if not operation.description.strip():
        raise InvalidInput(_l("Donnez la description du dépôt ou du retrait."))
    return method, payer


def _drawer_document(operation: SafeOperation, reason: str) -> CashDocument:
    """The DC/RC of an employee's movement: what goes into the safe leaves the drawer."""
    drawer_kind = CashMovementKind.OUT if operation.kind == CashMovementKind.IN else CashMovementKind.IN
    return CashDocument(
        drawer_kind,
        operation.amount_cents,
        reason,
        operation.method_code,
        operation.payer_kind,
        operation.payer,
    )


def record_safe_movement(
    session: Session,
    person_code: str,
    password: str,
    operation: SafeOperation,
    *,
    movement_uuid: str,
    posted_token: str | None = None,
) -> SafeResult:
    """Valider: the movement (and an employee's DC/RC) written in one transaction. The form's
    uuid makes a second tap find the movement the first one wrote."""
    done = written_before(session, SafeMovement, movement_uuid)
    if done is not None:
        return SafeResult(done, [])
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    shop = shop_with_safe(session)
    register_code = state.box.register_code
    method, payer = _checked(session, state, operation)
    staff = authorise(
        session, person_code, password, Right.SAFE, "safe_movement", register_code=register_code
    )
    if operation.kind == CashMovementKind.OUT:
        held = read_safe(session, shop).method(method.code)
        present = held.total_cents if held else 0
        if operation.amount_cents > present:
            raise InvalidInput(
                _l("Retrait de %(amount)s : le coffre-fort ne contient que %(present)s en %(method)s."),
                amount=format_euros(operation.amount_cents),
                present=format_euros(present),
                method=method.name,
            )
    number = next_number(session, register_code, "safe_movement")
    description = operation.description.strip()
    drawer = None
    if payer[0] == PayerKind.EMPLOYEE:
        reason = f"{DRAWER_REASONS[operation.kind]} n° {number} : {description}"[:400]
        drawer, _signed = write_cash_document(session, state, staff, _drawer_document(operation, reason))
    movement, signed = write_safe_movement(
        session,
        state.open_day,
        staff,
        register_code=register_code,
        number=number,
        kind=operation.kind,
        method_code=method.code,
        amount_cents=operation.amount_cents,
        reason=description[:400],
        payer=payer,
        cash_movement_uuid=drawer.uuid if drawer else None,
        uuid=movement_uuid,
    )
    enqueue(
        session,
        PrintJobKind.CASH,
        _slip(state, movement, method, signed.extract),
        idempotency_key=f"safe:{movement.uuid}",
        document_uuid=movement.uuid,
    )
    after = read_safe(session, shop)
    session.commit()
    return SafeResult(movement, after.warnings)


# The slip's title, short enough for a double-width line of a 42-column ticket.
SLIP_CODES = {CashMovementKind.IN: "Dépôt coffre", CashMovementKind.OUT: "Retrait coffre"}


def _slip(state, movement, method, signature: str) -> dict:
    """The cash documents' slip (cash.document_slip), titled for the safe."""
    return document_slip(state, movement, method, SLIP_CODES[movement.kind], signature)


def write_safe_movement(session: Session, day, staff, *, payer=(None, None, None), **fields):
    """The movement's row, its signature and its journal line, in the caller's transaction;
    (movement, signed record)."""
    movement = SafeMovement(
        day_id=day.id,
        **payer_columns(payer),
        created_at=fields.pop("created_at", None) or utcnow(),
        created_by_code=staff.code,
        created_by_name=staff.name,
        **fields,
    )
    session.add(movement)
    session.flush()
    signed = sign_safe_movement(session, movement, day.uuid)
    record(
        session,
        "safe_movement",
        actor=staff,
        register_code=movement.register_code,
        subject_uuid=movement.uuid,
        kind=movement.kind,
        number=movement.number,
        method=movement.method_code,
        amount_cents=movement.amount_cents,
        payer_kind=movement.payer_kind,
        payer=movement.payer,
        reason=movement.reason,
        **({"cash_movement": movement.cash_movement_uuid} if movement.cash_movement_uuid else {}),
        **({"at_closing": True} if movement.at_closing else {}),
    )
    return movement, signed
