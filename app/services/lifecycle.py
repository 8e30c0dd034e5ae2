"""The register's states A/B/C/D (docs/flows.md) and the moves between them.

The state is derived from the data, never stored: C when a day is open, D when closed days
wait for export, B when a register's data is imported, A otherwise."""

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased, defer

from app.database import raw_cursor
from app.models import (
    Box,
    ExportBatch,
    IntegrityAlert,
    Register,
    RegisterDay,
    SellerSession,
    Shop,
    Ticket,
    utcnow,
)
from app.services.errors import StaleScreen, StateForbids
from app.services.journal import record, refuse
from app.services.opening import OpeningCount, count_opening_float, write_opening_lines
from app.services.people import authorise
from app.services.sequences import next_number
from app.states import DayState, ExportBatchStatus, RegisterStateCode, Right, TicketStatus


@dataclass
class RegisterState:
    code: RegisterStateCode
    box: Box
    register: Register | None = None
    open_day: RegisterDay | None = None
    days_to_export: list[RegisterDay] = field(default_factory=list)
    pending_batches: list[ExportBatch] = field(default_factory=list)
    shop: Shop | None = None
    integrity_alert: bool = False  # head office refused a batch: the chains do not continue

    @property
    def timezone(self) -> str:
        return self.shop.timezone if self.shop else "Europe/Paris"

    @property
    def can_import(self) -> bool:
        return self.code in (RegisterStateCode.CLOSED_AWAITING_IMPORT, RegisterStateCode.IMPORTED)

    @property
    def can_open(self) -> bool:
        return self.code in (RegisterStateCode.IMPORTED, RegisterStateCode.CLOSED_NOT_EXPORTED)

    @property
    def can_export(self) -> bool:
        return self.code == RegisterStateCode.CLOSED_NOT_EXPORTED


def get_box(session: Session) -> Box:
    """The box's row, created on the first write that needs it; its identity follows the
    configuration, so a technician renaming the box sees the new name at the next import."""
    from flask import current_app

    box = session.get(Box, 1)
    if box is None:
        box = Box(id=1)
        session.add(box)
    box.terminal = current_app.config["COMPTOIR_TERMINAL"]
    box.device_name = current_app.config["COMPTOIR_DEVICE_NAME"]
    session.flush()
    return box


def _read_box(session: Session) -> Box:
    """For reading only: a new box has no row yet, and looking must not write one."""
    from flask import current_app

    return Box(
        id=1,
        terminal=current_app.config["COMPTOIR_TERMINAL"],
        device_name=current_app.config["COMPTOIR_DEVICE_NAME"],
    )


_LATER_DAY = aliased(RegisterDay)
# A batch a technician set aside (flask --app wsgi sync set-aside: head office holds other
# content for its days) is kept on the box, but its days no longer wait for export.
_SET_ASIDE = select(ExportBatch.id).where(ExportBatch.status == ExportBatchStatus.SET_ASIDE).scalar_subquery()


def _waiting(day):
    return (
        (day.state == DayState.CLOSED)
        & day.exported_at.is_(None)
        & (day.export_batch_id.is_(None) | day.export_batch_id.not_in(_SET_ASIDE))
    )


def state_statement(*rows):
    """The state's one query: `rows` are the box, register, shop and open day (their models,
    or their tables' columns for plain SQL: app/services/screen_state.py), then whether days
    wait for export, whether batches do and whether an integrity alert is raised."""
    return (
        select(
            *rows,
            select(_LATER_DAY.id).where(_waiting(_LATER_DAY)).exists(),
            select(ExportBatch.id).where(ExportBatch.status == ExportBatchStatus.PENDING).exists(),
            select(IntegrityAlert.id).where(IntegrityAlert.cleared_at.is_(None)).exists(),
        )
        .where(Box.id == 1)
        .outerjoin(Register, Register.code == Box.register_code)
        .outerjoin(Shop, Shop.code == Box.shop_code)
        .outerjoin(RegisterDay, (RegisterDay.state == DayState.OPEN) & RegisterDay.exported_at.is_(None))
    )


# Built once: every screen asks, and building the statement would cost as much as running it.
_STATE = state_statement(Box, Register, Shop, RegisterDay)
_DAYS_TO_EXPORT = select(RegisterDay).where(_waiting(RegisterDay)).order_by(RegisterDay.id)
# Without their bodies, which can be large.
_PENDING = (
    select(ExportBatch)
    .options(defer(ExportBatch.body))
    .where(ExportBatch.status == ExportBatchStatus.PENDING)
    .order_by(ExportBatch.created_at)
)


def register_state(session: Session) -> RegisterState:
    """One query, because every screen asks: box, register, shop, the open day, and whether
    days or batches wait for export; those lists are read only when there are some."""
    row = session.execute(_STATE).first()
    if row is None:  # a box that never imported: nothing else can exist yet
        return RegisterState(RegisterStateCode.CLOSED_AWAITING_IMPORT, _read_box(session))
    box, register, shop, open_day, days_waiting, batches_waiting, alert = row
    return state_of(session, box, register, shop, open_day, (days_waiting, batches_waiting, alert))


def state_of(session: Session, box, register, shop, open_day, flags) -> RegisterState:
    """The state these rows make (`flags`: the statement's three EXISTS); the days and
    batches waiting are read only when there are some."""
    days_waiting, batches_waiting, alert = flags
    to_export = list(session.scalars(_DAYS_TO_EXPORT)) if days_waiting else []
    pending = list(session.scalars(_PENDING)) if batches_waiting else []
    if open_day is not None:
        code = RegisterStateCode.OPEN
    elif to_export:
        code = RegisterStateCode.CLOSED_NOT_EXPORTED
    elif register is not None:
        code = RegisterStateCode.IMPORTED
    else:
        code = RegisterStateCode.CLOSED_AWAITING_IMPORT
    return RegisterState(code, box, register, open_day, to_export, pending, shop, bool(alert))


def release_register_when_all_sent(session: Session) -> None:
    """Nothing left to send and no day open: back to A, a fresh import is needed (after an
    acknowledged export, or a batch set aside)."""
    session.flush()
    state = register_state(session)
    if state.code != RegisterStateCode.OPEN and not state.days_to_export:
        state.box.register_code = None


def screen_token(state) -> str:
    """What a page was drawn for; a form posted from an older state is stale."""
    day = state.open_day.id if state.open_day else ""
    return f"{state.code}:{state.box.register_code or ''}:{day}:{len(state.days_to_export)}"


def check_screen_fresh(session: Session, posted_token: str | None) -> None:
    if posted_token is not None:
        check_state_fresh(session, register_state(session), posted_token)


def check_state_fresh(session: Session, state, posted_token: str | None) -> None:
    """For a service that read the state anyway: the same check without reading it again."""
    if posted_token is None:
        return  # tools (CLI, API) do not draw screens
    if posted_token != screen_token(state):
        session.rollback()
        raise StaleScreen(_l("L'état de la caisse a changé depuis un autre écran : voici l'écran à jour."))


def open_register(
    session: Session,
    person_code: str,
    password: str,
    amount_cents: int | None = None,
    *,
    posted_token: str | None = None,
    counting=None,
) -> RegisterDay:
    """Ouvrir: a manager's password and the opening float start a new day (from B or D). With
    mandatory counting the float is counted, not typed (`counting`, an OpeningCount)."""
    state = register_state(session)
    check_state_fresh(session, state, posted_token)
    register_code = state.box.register_code
    if state.code == RegisterStateCode.OPEN:
        refuse(
            session,
            StateForbids(_l("La caisse est déjà ouverte.")),
            "open",
            actor=person_code,
            register_code=register_code,
        )
    if state.code == RegisterStateCode.CLOSED_AWAITING_IMPORT:
        refuse(
            session,
            StateForbids(_l("Impossible d'ouvrir : importez d'abord les données d'une caisse.")),
            "open",
            actor=person_code,
        )
    staff = authorise(session, person_code, password, Right.OPEN, "open", register_code=register_code)
    register = state.register

    def no(error):
        refuse(session, error, "open", actor=staff, register_code=register_code)

    request = counting or OpeningCount()
    if amount_cents is not None:
        request.typed_float_cents = amount_cents
    opening = count_opening_float(session, register, staff, request, no)
    day = RegisterDay(
        register_code=register.code,
        number=next_number(session, register.code, "day"),
        state=DayState.OPEN,
        opened_at=utcnow(),
        opened_by_code=staff.code,
        opened_by_name=staff.name,
        opening_float_cents=opening.float_cents,
    )
    session.add(day)
    try:
        session.flush()
    except IntegrityError:
        # Two managers tapped Ouvrir at once: the unique index let exactly one through.
        refuse(
            session,
            StateForbids(_l("La caisse vient d'être ouverte depuis un autre écran.")),
            "open",
            actor=person_code,
            register_code=register_code,
        )
    write_opening_lines(session, day, staff, opening, day.opened_at)
    record(
        session,
        "open",
        actor=staff,
        register_code=register.code,
        subject_uuid=day.uuid,
        float_cents=opening.float_cents,
        day_number=day.number,
    )
    session.commit()
    return day


def tickets_in_progress(session: Session, day: RegisterDay) -> list[Ticket]:
    return list(
        session.scalars(
            select(Ticket)
            .where(Ticket.day_id == day.id, Ticket.status.in_((TicketStatus.OPEN, TicketStatus.SUSPENDED)))
            .order_by(Ticket.id)
        )
    )


# The status strip shows only their names, on every screen: one plain query, no objects.
_CONNECTED = "SELECT staff_name FROM seller_session WHERE day_id = ? AND disconnected_at IS NULL ORDER BY id"


def connected_names(session: Session, day: RegisterDay) -> list[str]:
    return [row[0] for row in raw_cursor(session).execute(_CONNECTED, (day.id,))]


def connected_sellers(session: Session, day: RegisterDay) -> list[SellerSession]:
    return list(
        session.scalars(
            select(SellerSession).where(
                SellerSession.day_id == day.id, SellerSession.disconnected_at.is_(None)
            )
        )
    )
