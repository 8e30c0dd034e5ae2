"""Cash-in and cash-out during the day (DC/RC, docs/closing.md): a numbered document, the right,
the journal, a printed slip and the drawer."""

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.devices.queue import enqueue, kick_drawer
from app.models import CashMovement, PaymentMethod, utcnow
from app.money import format_euros
from app.services.closing.summary import summarise_day
from app.services.errors import InvalidInput, StateForbids
from app.services.journal import record, refuse
from app.services.lifecycle import register_state
from app.services.people import authorise, require_viewer
from app.services.sequences import next_number
from app.services.signing import sign_cash_movement
from app.states import CashMovementKind, PrintJobKind, RegisterStateCode, Right

MAX_MOVEMENT_CENTS = 1_000_000  # 10 000 € in one movement is a typing slip on a shop till


def record_cash_movement(
    session: Session,
    person_code: str,
    password: str,
    kind: str,
    amount_cents: int,
    reason: str,
    method_code: str | None = None,
) -> CashMovement:
    state = register_state(session)
    register_code = state.box.register_code
    if state.code != RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("La caisse n'est pas ouverte.")),
            "cash_movement",
            actor=person_code,
            register_code=register_code,
        )
    if kind not in (CashMovementKind.IN, CashMovementKind.OUT):
        raise InvalidInput(_l("Choisissez une entrée ou une sortie."))
    reason = (reason or "").strip()
    if not reason:
        raise InvalidInput(_l("Donnez le motif du mouvement."))
    if amount_cents <= 0 or amount_cents > MAX_MOVEMENT_CENTS:
        raise InvalidInput(
            _l("Le montant doit être entre 0,01 € et %(maximum)s."), maximum=format_euros(MAX_MOVEMENT_CENTS)
        )
    staff = authorise(
        session, person_code, password, Right.CASH_MOVEMENT, "cash_movement", register_code=register_code
    )
    method = (
        session.get(PaymentMethod, method_code)
        if method_code
        else session.scalars(
            select(PaymentMethod)
            .where(PaymentMethod.gives_change, PaymentMethod.counted_in_drawer)
            .order_by(PaymentMethod.position)
        ).first()
    )
    if method is None:
        raise InvalidInput(_l("Mode de paiement inconnu."))
    if kind == CashMovementKind.OUT:
        row = summarise_day(session, state.open_day).method(method.code)
        present = row.expected_cents if row else 0
        if amount_cents > present:
            raise InvalidInput(
                _l("Sortie de %(amount)s : il n'y a que %(present)s en %(method)s."),
                amount=format_euros(amount_cents),
                present=format_euros(present),
                method=method.name,
            )
    movement = CashMovement(
        register_code=register_code,
        day_id=state.open_day.id,
        number=next_number(session, register_code, "cash_movement"),
        kind=kind,
        method_code=method.code,
        amount_cents=amount_cents,
        reason=reason[:400],
        created_at=utcnow(),
        created_by_code=staff.code,
        created_by_name=staff.name,
    )
    session.add(movement)
    session.flush()
    sign_cash_movement(session, movement, state.open_day.uuid)
    record(
        session,
        "cash_movement",
        actor=staff,
        register_code=register_code,
        subject_uuid=movement.uuid,
        kind=kind,
        amount_cents=amount_cents,
        number=movement.number,
        reason=reason[:400],
    )
    enqueue(
        session,
        PrintJobKind.CASH,
        _slip(state, movement, method),
        idempotency_key=f"cash:{movement.uuid}",
        document_uuid=movement.uuid,
    )
    if method.counted_in_drawer:
        kick_drawer(
            session, reason=f"mouvement {movement.number}", idempotency_key=f"cash:{movement.uuid}:drawer"
        )
    session.commit()
    return movement


def _slip(state, movement, method) -> dict:
    title = "ENTRÉE D'ESPÈCES" if movement.kind == CashMovementKind.IN else "SORTIE D'ESPÈCES"
    return {
        "title": f"{title} N° {movement.number}",
        "document_number": movement.number,
        "subtitle_lines": [f"Caisse {movement.register_code}"],
        "terminal": state.box.terminal,
        "device_name": state.box.device_name,
        "register_code": movement.register_code,
        "timezone": state.timezone,
        "printed_at": movement.created_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sections": [
            {
                "title": None,
                "rows": [
                    ["Mode", method.name],
                    ["Montant", format_euros(movement.amount_cents)],
                    ["Motif", movement.reason],
                    ["Par", movement.created_by_name],
                ],
            }
        ],
        "footer_lines": [movement.uuid],
    }


def movements_of_day(session: Session, day_id: int, viewer) -> list[CashMovement]:
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "view_cash_movements")
    return list(
        session.scalars(
            select(CashMovement).where(CashMovement.day_id == day_id).order_by(CashMovement.number)
        )
    )
