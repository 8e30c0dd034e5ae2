"""Cash documents during the day — DC (dépense, money out of the drawer) and RC (recette,
money in), docs/cash-documents.md: a numbered document with its payment method and payer,
the right, the journal, the signature in the 'cash' chain, a printed slip and the drawer."""

from dataclasses import dataclass

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.devices.queue import enqueue, kick_drawer
from app.devices.render import render_text
from app.integrity.chain import Signed
from app.labels import cash_document_code
from app.models import CashMovement, PaymentMethod, Staff, new_uuid, utcnow
from app.money import format_euros
from app.services.closing.summary import summarise_day
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import check_state_fresh, register_state
from app.services.parsing import is_document_uuid
from app.services.people import authorise, require_viewer
from app.services.sequences import next_number
from app.services.signing import sign_cash_movement
from app.states import CashMovementKind, PayerKind, PrintJobKind, RegisterStateCode, Right

MAX_MOVEMENT_CENTS = 1_000_000  # 10 000 € in one movement is a typing slip on a shop till


@dataclass(frozen=True)
class CashDocument:
    """What the DC/RC form says (or the quick cash-in/cash-out form: no method, no payer)."""

    kind: str
    amount_cents: int
    description: str
    method_code: str | None = None
    payer_kind: str | None = None
    payer: str | None = None  # a customer's typed name, or an employee's staff code


def new_cash_document() -> str:
    """The uuid a DC/RC form is drawn with: Valider writes the document under it, once."""
    return new_uuid()


def cash_document_methods(session: Session) -> list[PaymentMethod]:
    """The methods a DC/RC may name — cash, card, cheques and vouchers: every method of the
    shop but its own credit note (an avoir is a code whose balance head office keeps, not
    something a person hands over at the drawer)."""
    return list(
        session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.store_credit.is_(False))
            .order_by(PaymentMethod.position)
        )
    )


def _method(session: Session, document: CashDocument) -> PaymentMethod:
    if not document.method_code:  # the quick form: the drawer's cash
        method = session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.gives_change, PaymentMethod.counted_in_drawer)
            .order_by(PaymentMethod.position)
        ).first()
    else:
        method = session.get(PaymentMethod, document.method_code)
    if method is None:
        raise InvalidInput(_l("Mode de paiement inconnu."))
    if method.store_credit:
        raise InvalidInput(
            _l("%(method)s ne peut pas être utilisé dans un document de caisse."), method=method.name
        )
    if method.is_titre_service and document.kind == CashMovementKind.OUT:
        # The manual's message, word for word (Liste des dépôts/retraits de caisse).
        raise InvalidInput(_l("Ce type de bon d'achat ne peut pas être utilisé dans le document DC"))
    return method


def read_payer(session: Session, document: CashDocument) -> tuple[str | None, str | None, str | None]:
    """(payer_kind, name, staff code) of « Payant » (also the safe's « Payeur »)."""
    if not document.payer_kind:
        return None, None, None
    if document.payer_kind == PayerKind.CUSTOMER:
        name = " ".join((document.payer or "").split())
        if not name:
            raise InvalidInput(_l("Saisissez le nom du client."))
        if len(name) > 120:
            raise InvalidInput(_l("Le nom du client est trop long (120 caractères au plus)."))
        return PayerKind.CUSTOMER, name, None
    if document.payer_kind == PayerKind.EMPLOYEE:
        staff = session.get(Staff, document.payer or "")
        if staff is None:
            raise InvalidInput(_l("Choisissez un employé de la liste."))
        return PayerKind.EMPLOYEE, staff.name, staff.code
    raise InvalidInput(_l("Choisissez un client ou un employé."))


def payer_columns(payer: tuple) -> dict:
    """The payer's three columns, from read_payer's (kind, name, staff code): a DC/RC's and
    a safe movement's rows carry the same ones."""
    return {"payer_kind": payer[0], "payer": payer[1], "payer_code": payer[2]}


def refuse_unless_open(session: Session, state, action: str) -> None:
    """Money moves only while the register is open; the refusal is journaled under `action`."""
    if state.code != RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("La caisse n'est pas ouverte.")),
            action,
            register_code=state.box.register_code,
        )


def check_movement_amount(amount_cents: int) -> None:
    """The amount of a DC/RC or a safe movement: positive and no typing slip."""
    if amount_cents <= 0 or amount_cents > MAX_MOVEMENT_CENTS:
        raise InvalidInput(
            _l("Le montant doit être entre 0,01 € et %(maximum)s."), maximum=format_euros(MAX_MOVEMENT_CENTS)
        )


def written_before(session: Session, model, form_uuid: str):
    """The row a form drawn with `form_uuid` already wrote (a second tap, a form sent again),
    or None; a malformed uuid is a form cut short."""
    if not is_document_uuid(form_uuid):
        raise InvalidInput(_l("Ce formulaire est incomplet : rouvrez-le."))
    done = session.scalar(select(model).where(model.uuid == form_uuid))
    if done is not None:
        session.rollback()
    return done


def check_cash_document(session: Session, state, document: CashDocument):
    """Everything a DC/RC must be before anyone's password is asked: the open register, the
    type, the description, the amount, the method and the payer. Returns (method, payer)."""
    refuse_unless_open(session, state, "cash_movement")
    if document.kind not in (CashMovementKind.IN, CashMovementKind.OUT):
        raise InvalidInput(_l("Choisissez une entrée ou une sortie."))
    if not document.description.strip():
        raise InvalidInput(_l("Donnez le motif du mouvement."))
    check_movement_amount(document.amount_cents)
    return _method(session, document), read_payer(session, document)


def _check_drawer_holds(session: Session, state, document: CashDocument, method) -> None:
    """A DC takes out no more than the day's figures say the method holds (float, payments,
    earlier documents)."""
    if document.kind != CashMovementKind.OUT:
        return
    row = summarise_day(session, state.open_day).method(method.code)
    present = row.expected_cents if row else 0
    if document.amount_cents > present:
        raise InvalidInput(
            _l("Sortie de %(amount)s : il n'y a que %(present)s en %(method)s."),
            amount=format_euros(document.amount_cents),
            present=format_euros(present),
            method=method.name,
        )


def _movement(document: CashDocument, method, payer: tuple, **rest) -> CashMovement:
    """The row a DC/RC makes, for the preview (a draft never added) and for Valider alike."""
    return CashMovement(
        kind=document.kind,
        method_code=method.code,
        amount_cents=document.amount_cents,
        reason=document.description.strip()[:400],
        **payer_columns(payer),
        created_at=utcnow(),
        **rest,
    )


def preview_cash_document(session: Session, document: CashDocument, viewer) -> str:
    """Aperçu: the slip as it will print, before anything is written (its number comes at
    Valider)."""
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "preview_cash_movement")
    state = register_state(session)
    method, payer = check_cash_document(session, state, document)
    _check_drawer_holds(session, state, document, method)
    draft = _movement(
        document,
        method,
        payer,
        number=None,
        register_code=state.box.register_code,
        created_by_name=viewer.name,
        uuid="",
    )
    text = render_text(PrintJobKind.CASH, _slip(state, draft, method))
    session.rollback()
    return text


def record_cash_document(
    session: Session,
    person_code: str,
    password: str,
    document: CashDocument,
    *,
    document_uuid: str | None = None,
    posted_token: str | None = None,
) -> CashMovement:
    """Valider: the DC/RC is numbered, signed, journaled and printed in one transaction.
    `document_uuid` is drawn with the form: a second tap (or a form sent again) finds the
    document the first one wrote and writes nothing."""
    if document_uuid is not None:
        done = written_before(session, CashMovement, document_uuid)
        if done is not None:
            return done
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    register_code = state.box.register_code
    check_cash_document(session, state, document)  # everything before the password is asked
    staff = authorise(
        session, person_code, password, Right.CASH_MOVEMENT, "cash_movement", register_code=register_code
    )
    movement, _signed = write_cash_document(session, state, staff, document, document_uuid=document_uuid)
    session.commit()
    return movement


def write_cash_document(
    session: Session,
    state,
    staff,
    document: CashDocument,
    *,
    document_uuid: str | None = None,
    cashier_session_id: int | None = None,
) -> tuple[CashMovement, Signed]:
    """The DC/RC written in the caller's transaction, for a person already authorised:
    checked, numbered, signed, journaled, printed, the drawer kicked. Valider on the form, and
    the documents the register makes itself: the safe's when an employee moves the safe and
    the drawer together (app/services/closing/safe_movements.py), a cashier session's « Dépôt
    à l'ouverture du jour » and its withdrawal. The caller commits."""
    register_code = state.box.register_code
    method, payer = check_cash_document(session, state, document)
    _check_drawer_holds(session, state, document, method)
    movement = _movement(
        document,
        method,
        payer,
        register_code=register_code,
        day_id=state.open_day.id,
        number=next_number(session, register_code, "cash_movement"),
        created_by_code=staff.code,
        created_by_name=staff.name,
        cashier_session_id=cashier_session_id,
        **({"uuid": document_uuid} if document_uuid else {}),
    )
    session.add(movement)
    session.flush()
    signed = sign_cash_movement(session, movement, state.open_day.uuid)
    record(
        session,
        "cash_movement",
        actor=staff,
        register_code=register_code,
        subject_uuid=movement.uuid,
        kind=movement.kind,
        amount_cents=movement.amount_cents,
        number=movement.number,
        method=method.code,
        payer_kind=movement.payer_kind,
        payer=movement.payer,
        reason=movement.reason,
    )
    enqueue(
        session,
        PrintJobKind.CASH,
        _slip(state, movement, method, signed.extract),
        idempotency_key=f"cash:{movement.uuid}",
        document_uuid=movement.uuid,
    )
    if method.counted_in_drawer:
        kick_drawer(
            session, reason=f"mouvement {movement.number}", idempotency_key=f"cash:{movement.uuid}:drawer"
        )
    return movement, signed


def record_cash_movement(
    session: Session,
    person_code: str,
    password: str,
    kind: str,
    amount_cents: int,
    reason: str,
    method_code: str | None = None,
) -> CashMovement:
    """The quick cash-in/cash-out form (Entrées et sorties d'espèces): a DC/RC of the drawer's
    cash with no payer."""
    return record_cash_document(
        session, person_code, password, CashDocument(kind, amount_cents, reason or "", method_code)
    )


def _slip(state, movement, method, signature: str | None = None) -> dict:
    """The DC/RC layout's payload (app/devices/layouts.py, _cash_document)."""
    return document_slip(state, movement, method, cash_document_code(movement.kind), signature)


def document_slip(state, movement, method, code: str, signature: str | None = None) -> dict:
    """The cash documents' printed slip (app/devices/layouts.py, _cash_document) of a DC/RC
    or a safe movement, `code` naming which; a preview's draft has no number nor uuid yet."""
    return {
        "title": f"{code} N° {movement.number}" if movement.number else code,
        "document_number": movement.number,
        "cash_document": {
            "code": code,
            "number": movement.number,
            "method": method.name,
            "amount_cents": movement.amount_cents,
            "payer_kind": movement.payer_kind,
            "payer": movement.payer,
            "description": movement.reason,
            "by": movement.created_by_name,
        },
        "shop_name": state.shop.name if state.shop else "",
        "terminal": state.box.terminal,
        "device_name": state.box.device_name,
        "register_code": movement.register_code,
        "timezone": state.timezone,
        "printed_at": movement.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "signature": signature,
        "footer_lines": [movement.uuid] if movement.uuid else [],
    }


def movements_of_day(session: Session, day_id: int, viewer) -> list[CashMovement]:
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "view_cash_movements")
    return list(
        session.scalars(
            select(CashMovement).where(CashMovement.day_id == day_id).order_by(CashMovement.number)
        )
    )


def write_difference_document(
    session: Session,
    state,
    day,
    staff,
    method,
    difference_cents: int,
    reason: str,
    now,
    *,
    cashier_session_id: int | None = None,
):
    """The DC/RC a closing writes for an accepted difference (the manual's « Raison de la
    différence »: its reason is the document's description): an RC when the drawer holds more
    than expected, a DC when less. Numbered, signed in the cash chain, journaled and printed
    in the closing's transaction; flagged so the day's figures, which it records the gap of,
    never count it again. A cashier session's (`cashier_session_id`) records a gap found before
    the day's count: the day's figures carry it into what the drawer holds (summary.py)."""
    document = CashDocument(
        kind=CashMovementKind.IN if difference_cents > 0 else CashMovementKind.OUT,
        amount_cents=abs(difference_cents),
        description=reason,
        method_code=method.code,
    )
    movement = _movement(
        document,
        method,
        (None, None, None),
        register_code=day.register_code,
        day_id=day.id,
        number=next_number(session, day.register_code, "cash_movement"),
        created_by_code=staff.code,
        created_by_name=staff.name,
        closing_difference=True,
        cashier_session_id=cashier_session_id,
    )
    movement.created_at = now
    session.add(movement)
    session.flush()
    signed = sign_cash_movement(session, movement, day.uuid)
    record(
        session,
        "cash_movement",
        actor=staff,
        register_code=day.register_code,
        subject_uuid=movement.uuid,
        kind=movement.kind,
        amount_cents=movement.amount_cents,
        number=movement.number,
        method=method.code,
        reason=movement.reason,
        closing_difference=True,
    )
    enqueue(
        session,
        PrintJobKind.CASH,
        _slip(state, movement, method, signed.extract),
        idempotency_key=f"cash:{movement.uuid}",
        document_uuid=movement.uuid,
    )
    return movement
