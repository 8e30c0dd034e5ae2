"""Liste des DC/RC (docs/cash-documents.md): every cash document of this box, any day, newest
first, a page at a time, with the manual's filters — part of the number, type, amount, date."""

from datetime import datetime
from typing import NamedTuple

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

from app.devices.render import preview_text
from app.models import CashMovement, PrintJob
from app.services.closing.listing import ListFilter, read_page, where_of
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.states import CashMovementKind, PrintJobKind, Right

KINDS = {"DC": CashMovementKind.OUT, "RC": CashMovementKind.IN}


class CashDocumentRow(NamedTuple):
    id: int
    uuid: str
    number: int
    kind: str
    method: str | None
    amount_cents: int
    created_at: datetime
    payer: str | None
    description: str
    by: str


_ROWS = (
    "SELECT m.id, m.uuid, m.number, m.kind, p.name, m.amount_cents, m.created_at, m.payer, m.reason,"
    " m.created_by_name FROM cash_movement m LEFT OUTER JOIN payment_method p ON p.code = m.method_code"
)


def list_cash_documents(
    session: Session, viewer, filters: ListFilter, zone: str
) -> tuple[list[CashDocumentRow], bool]:
    """One page of documents and whether older ones match too."""
    require_viewer(session, viewer, Right.CASH_MOVEMENT, "view_cash_movements")
    kind = (filters.kind or "").upper() or None
    if kind is not None and kind not in KINDS:
        raise InvalidInput(_l("Type inconnu : choisissez DC ou RC."))
    # No rollback here: the screen's state, read before, would expire and be read again for
    # the status strip (render_screen ends the transaction once the page is drawn).
    return read_page(session, _ROWS, where_of(filters, KINDS.get(kind), zone), CashDocumentRow)


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
