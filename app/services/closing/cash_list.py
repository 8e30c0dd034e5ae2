"""Liste des DC/RC (docs/cash-documents.md): every cash document of this box, any day, newest
first, a page at a time, with the manual's filters — part of the number, type, amount, date."""

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import String, cast, select
from sqlalchemy.orm import Session

from app.devices.render import preview_text
from app.models import CashMovement, PaymentMethod, PrintJob
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.states import CashMovementKind, PrintJobKind, Right

PAGE = 50
KINDS = {"DC": CashMovementKind.OUT, "RC": CashMovementKind.IN}


@dataclass(frozen=True)
class CashDocumentFilter:
    """The filters as parsed (app/services/parsing.py reads the typed text)."""

    number: int | None = None  # any part of the number: 12 finds 12, 112, 1203…
    kind: str | None = None  # "DC" or "RC"
    amount_cents: int | None = None
    day: date | None = None  # the shop's day
    before_id: int | None = None  # the next page: documents older than this one


@dataclass(frozen=True)
class CashDocumentRow:
    id: int
    uuid: str
    number: int
    kind: str
    method: str
    amount_cents: int
    created_at: datetime
    payer: str | None
    description: str
    by: str


def _day_bounds(day: date, zone: str) -> tuple[datetime, datetime]:
    """The shop's day in UTC."""
    start = datetime.combine(day, time(0), ZoneInfo(zone)).astimezone(timezone.utc)
    end = datetime.combine(day + timedelta(days=1), time(0), ZoneInfo(zone)).astimezone(timezone.utc)
    return start, end


def day_choices(zone: str, chosen: date | None) -> dict:
    """The day buttons of the date filter (a kiosk has no keyboard): today, yesterday, and
    the days either side of the one chosen."""
    today = datetime.now(ZoneInfo(zone)).date()
    around = chosen or today
    return {
        "today": today,
        "yesterday": today - timedelta(days=1),
        "previous": around - timedelta(days=1),
        "next": around + timedelta(days=1) if around < today else None,
    }


def list_cash_documents(
    session: Session, viewer, filters: CashDocumentFilter, zone: str
) -> tuple[list, bool]:
    """One page of documents (rows with CashDocumentRow's fields) and whether older ones match too."""
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "view_cash_movements")
    if filters.kind is not None and filters.kind not in KINDS:
        raise InvalidInput(_l("Type inconnu : choisissez DC ou RC."))
    query = (
        select(
            CashMovement.id,
            CashMovement.uuid,
            CashMovement.number,
            CashMovement.kind,
            PaymentMethod.name.label("method"),
            CashMovement.amount_cents,
            CashMovement.created_at,
            CashMovement.payer,
            CashMovement.reason.label("description"),
            CashMovement.created_by_name.label("by"),
        )
        .outerjoin(PaymentMethod, PaymentMethod.code == CashMovement.method_code)
        .order_by(CashMovement.id.desc())
        .limit(PAGE + 1)
    )
    if filters.number is not None:
        query = query.where(cast(CashMovement.number, String).contains(str(filters.number), autoescape=True))
    if filters.kind is not None:
        query = query.where(CashMovement.kind == KINDS[filters.kind])
    if filters.amount_cents is not None:
        query = query.where(CashMovement.amount_cents == filters.amount_cents)
    if filters.day is not None:
        start, end = _day_bounds(filters.day, zone)
        query = query.where(CashMovement.created_at >= start, CashMovement.created_at < end)
    if filters.before_id is not None:
        query = query.where(CashMovement.id < filters.before_id)
    # Rows read by name, as CashDocumentRow lists them. No rollback here: the screen's state,
    # read before, would expire and be read again for the status strip (render_screen ends
    # the transaction once the page is drawn).
    rows = session.execute(query).all()
    return rows[:PAGE], len(rows) > PAGE


def cash_document(session: Session, uuid: str, viewer) -> tuple[CashMovement, str | None] | None:
    """One DC/RC and its slip as it printed (None for a document printed by nobody)."""
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "view_cash_movements")
    movement = session.scalar(select(CashMovement).where(CashMovement.uuid == (uuid or "")))
    if movement is None:
        return None
    job = session.scalar(
        select(PrintJob)
        .where(PrintJob.document_uuid == movement.uuid, PrintJob.kind == PrintJobKind.CASH)
        .order_by(PrintJob.copy_number)
        .limit(1)
    )
    return movement, (preview_text(job) if job is not None else None)
