"""Checking the register's chains on the box (docs/integrity.md): every record's signature,
numbering and link, and that the documents still say what was signed. The CLI
(`flask --app wsgi integrity verify`) and the manager's Intégrité screen both ask here."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import nf525
from app.integrity.keys import box_key
from app.models import Box, ChainStart, SignedRecord, SigningKey, Ticket
from app.services.journal import record as journal
from app.sync.export_body import ticket_document

# The families whose records sign a document kept in its own tables, and how to read it back.
_BATCH = 500


@dataclass
class Verification:
    register_code: str
    counts: dict = field(default_factory=dict)  # chain → records checked
    heads: dict = field(default_factory=dict)  # chain → its last number (0: nothing signed yet)
    problems: list = field(default_factory=list)  # nf525.Problem

    @property
    def sound(self) -> bool:
        return not self.problems


def trusted_keys(session: Session) -> dict:
    """The box's own key (from the instance folder, not the database) and the keys head
    office registered for this register (a replaced box's records)."""
    own = box_key()
    keys = {own.key_id: nf525.load_public_pem(own.public_pem)}
    for row in session.scalars(select(SigningKey).where(SigningKey.source == "headoffice")):
        keys.setdefault(row.key_id, nf525.load_public_pem(row.public_pem))
    return keys


def verify_chains(session: Session, register_code: str | None = None) -> Verification:
    register_code = register_code or session.scalar(select(Box.register_code).where(Box.id == 1)) or ""
    result = Verification(register_code)
    keys = trusted_keys(session)
    starts = {s.chain: s for s in session.scalars(select(ChainStart).where(
        ChainStart.register_code == register_code))}
    for chain in nf525.CHAINS:
        records = [_as_dict(r) for r in session.scalars(
            select(SignedRecord).where(SignedRecord.register_code == register_code, SignedRecord.chain == chain)
            .order_by(SignedRecord.id))]
        if chain in ("ticket", "training"):
            _attach_tickets(session, records)
        start = starts.get(chain)
        result.counts[chain] = len(records)
        result.heads[chain] = max([r["number"] for r in records] + [start.number if start else 0])
        result.problems += nf525.check_chain(
            chain, records, keys, start=(start.number, start.signature) if start else None)
    return result


def check_integrity(session: Session, *, source: str, actor=None) -> Verification:
    """Verify every chain (« Vérifier maintenant », `integrity verify`, before an archive or a
    purge) and, when something is broken, journal an integrity failure (NF525 event code 90)
    naming the first broken record of each chain, in its own transaction."""
    verification = verify_chains(session)
    session.rollback()  # the check read only: nothing of it is kept
    if not verification.sound:
        first = {}
        for problem in verification.problems:
            first.setdefault(problem.chain, str(problem))
        journal(session, "integrity_failure", outcome="failed", actor=actor,
               register_code=verification.register_code or None, reason=str(verification.problems[0])[:400],
               source=source, problems=len(verification.problems), first_broken=first)
        session.commit()
    return verification


def _as_dict(record: SignedRecord) -> dict:
    return {"register": record.register_code, "chain": record.chain, "number": record.number,
            "kind": record.kind, "at": record.at, "uuid": record.subject_uuid, "key_id": record.key_id,
            "payload": record.payload, "signature": record.signature, "previous": record.previous}


def _attach_tickets(session: Session, records: list[dict]) -> None:
    """Each record gets the fields its ticket has today (None if the ticket is gone), so an
    edited quantity, price or payment is named."""
    for i in range(0, len(records), _BATCH):
        part = records[i:i + _BATCH]
        tickets = {t.uuid: t for t in session.scalars(
            select(Ticket).where(Ticket.uuid.in_([r["uuid"] for r in part]))
            .options(selectinload(Ticket.lines), selectinload(Ticket.payments),
                     selectinload(Ticket.taxes), selectinload(Ticket.original)))}
        for record in part:
            ticket = tickets.get(record["uuid"])
            record["document"] = nf525.ticket_fields(ticket_document(ticket)) if ticket else None
