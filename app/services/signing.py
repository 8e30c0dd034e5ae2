"""Signing what the shop's documents say (docs/integrity.md): the rule side of the chains —
which chain a document joins, what its signed fields are, and what the person is told when
the box's clock is before the last signed record (nothing may be added to a signed period)."""
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

import nf525
from app.integrity.chain import ClockWentBack, Signed, append
from app.services.errors import StateForbids
from app.services.journal import refuse
from app.states import TicketStatus

SOFTWARE = "Comptoir 0.1.0"  # printed on every receipt, with the signature extract


def sign_ticket(session: Session, register_code: str, ticket: dict) -> Signed:
    """A finished sale or return, or a cancellation, joins the register's ticket chain — or,
    for a training ticket (mode école), the training chain, never the ticket chain.
    `ticket` has the export's ticket shape (nf525.ticket_fields reads it)."""
    kind = "cancel" if ticket["status"] == TicketStatus.CANCELLED else ticket["kind"]
    chain = "training" if ticket.get("training") else "ticket"
    return sign(session, register_code, chain, kind, nf525.ticket_fields(ticket),
                ticket["finished_at"], ticket["uuid"])


def sign(session: Session, register_code: str, chain: str, kind: str, fields: dict, at, subject_uuid=None) -> Signed:
    try:
        return append(session, register_code, chain, kind, fields, at, subject_uuid)
    except ClockWentBack as late:
        refuse(session, StateForbids(_l(
            "L'horloge de la caisse indique une heure antérieure au dernier document signé (%(last)s) :"
            " faites corriger la date et l'heure avant de continuer."), last=late.last_at),
            "clock_went_back", register_code=register_code, chain=chain, last_signed_at=late.last_at)
