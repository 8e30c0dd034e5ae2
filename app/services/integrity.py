"""Checking the register's chains on the box (docs/integrity.md): every record's signature,
numbering and link, and that the documents still say what was signed. The CLI
(`flask --app wsgi integrity verify`) and the manager's Intégrité screen both ask here."""
from dataclasses import dataclass, field

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import nf525
from app.integrity.keys import box_key
from app.models import (Box, CashCount, CashMovement, ChainStart, JournalEntry, PrintJob, RegisterDay,
                        SignedRecord, SigningKey, Ticket)
from app.services.signing import cash_count_document, cash_movement_document
from app.sync.export_body import ticket_document

_BATCH = 500


@dataclass
class Verification:
    register_code: str
    counts: dict = field(default_factory=dict)  # chain → records checked
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
    records_of = {}
    for chain in nf525.CHAINS:
        records = [_as_dict(r) for r in session.scalars(
            select(SignedRecord).where(SignedRecord.register_code == register_code, SignedRecord.chain == chain)
            .order_by(SignedRecord.id))]
        reader = READERS.get(chain)
        if reader is not None:
            reader(session, records)
        start = starts.get(chain)
        result.counts[chain] = len(records)
        result.problems += nf525.check_chain(
            chain, records, keys, start=(start.number, start.signature) if start else None)
        records_of[chain] = records
    result.problems += _unsigned_documents(session, register_code, records_of)
    return result


def _as_dict(record: SignedRecord) -> dict:
    return {"register": record.register_code, "chain": record.chain, "number": record.number,
            "kind": record.kind, "at": record.at, "uuid": record.subject_uuid, "key_id": record.key_id,
            "payload": record.payload, "signature": record.signature, "previous": record.previous}


def _batches(records: list[dict]):
    for i in range(0, len(records), _BATCH):
        yield records[i:i + _BATCH]


def _attach_tickets(session: Session, records: list[dict]) -> None:
    """Each record gets the fields its ticket has today (None if the ticket is gone), so an
    edited quantity, price or payment is named."""
    for part in _batches(records):
        tickets = {t.uuid: t for t in session.scalars(
            select(Ticket).where(Ticket.uuid.in_([r["uuid"] for r in part]))
            .options(selectinload(Ticket.lines), selectinload(Ticket.payments),
                     selectinload(Ticket.taxes), selectinload(Ticket.original)))}
        for record in part:
            ticket = tickets.get(record["uuid"])
            record["document"] = nf525.ticket_fields(ticket_document(ticket)) if ticket else None


def _attach_days(session: Session, records: list[dict]) -> None:
    """A day's period record against the closed day's row: the Z's totals (ticket count,
    total, perpetual grand total) as the row says them today. Months and years have no row."""
    days_records = [r for r in records if r["kind"] == "day"]
    for part in _batches(days_records):
        days = {d.uuid: d for d in session.scalars(
            select(RegisterDay).where(RegisterDay.uuid.in_([r["uuid"] for r in part])))}
        for record in part:
            signed, day = nf525._signed(record["payload"].encode("utf-8")), days.get(record["uuid"])
            record["document"] = None if day is None else {
                **(signed or {}), "day_number": day.number, "ticket_count": day.ticket_count,
                "total_cents": day.sales_total_cents, "perpetual_cents": day.grand_total_cents,
                "closed_at": nf525.moment(day.closed_at)}


def _attach_cash(session: Session, records: list[dict]) -> None:
    """Cash movements and counts against their rows (amount, method, reason, grid…)."""
    day_uuids = dict(session.execute(select(RegisterDay.id, RegisterDay.uuid)).all())
    for part in _batches(records):
        uuids = [r["uuid"] for r in part]
        movements = {m.uuid: m for m in session.scalars(select(CashMovement).where(CashMovement.uuid.in_(uuids)))}
        counts = {c.uuid: c for c in session.scalars(select(CashCount).where(CashCount.uuid.in_(uuids)))}
        for record in part:
            if record["kind"] == "movement":
                row = movements.get(record["uuid"])
                record["document"] = None if row is None else nf525.cash_movement_fields(
                    cash_movement_document(row, day_uuids.get(row.day_id)))
            else:
                row = counts.get(record["uuid"])
                record["document"] = None if row is None else nf525.cash_count_fields(
                    cash_count_document(row, day_uuids.get(row.day_id)))


def _attach_events(session: Session, records: list[dict]) -> None:
    """An event against its journal entry: an edited or deleted journal line is named."""
    for part in _batches(records):
        fields = {id(r): nf525._signed(r["payload"].encode("utf-8")) or {} for r in part}
        wanted = [f.get("journal_id") for f in fields.values() if f.get("journal_id")]
        entries = {e.id: e for e in session.scalars(select(JournalEntry).where(JournalEntry.id.in_(wanted)))}
        for record in part:
            signed = fields[id(record)]
            entry = entries.get(signed.get("journal_id"))
            record["document"] = None if entry is None else nf525.event_fields({
                "id": entry.id, "action": entry.action, "outcome": entry.outcome, "actor_code": entry.actor_code,
                "actor_name": entry.actor_name, "reason": entry.reason, "details": entry.details},
                signed.get("code"), signed.get("label"))


def _attach_copies(session: Session, records: list[dict]) -> None:
    """A copy against its print job (which document, which copy): a copy renumbered or
    removed from the queue is named."""
    for part in _batches(records):
        fields = {id(r): nf525._signed(r["payload"].encode("utf-8")) or {} for r in part}
        jobs = {(j.document_uuid, j.copy_number): j for j in session.scalars(select(PrintJob).where(
            PrintJob.document_uuid.in_({r["uuid"] for r in part}), PrintJob.copy_number > 0))}
        for record in part:
            signed = fields[id(record)]
            job = jobs.get((record["uuid"], signed.get("copy_number")))
            record["document"] = None if job is None else {
                **signed, "original_uuid": job.document_uuid, "document": job.kind, "copy_number": job.copy_number}


# Per chain, how its records are compared with the documents they signed (each record gets
# "document": the fields its rows say today, None if they are gone). A new family of
# documents joins the verifier with one entry here; a chain without one is checked alone.
READERS = {
    "ticket": _attach_tickets,
    "training": _attach_tickets,
    "period": _attach_days,
    "copy": _attach_copies,
    "cash": _attach_cash,
    "event": _attach_events,
}


def _unsigned_documents(session: Session, register_code: str, records_of: dict) -> list:
    """Documents written since a chain began with no record in it: a record deleted (the
    last Z, the last cash movement), whatever the head office knows. A closing event whose
    day has no period record says the same when the day's row went too."""
    problems = []
    day_records = {r["uuid"] for r in records_of.get("period", ()) if r["kind"] == "day"}
    first = min((r["at"] for r in records_of.get("period", ()) if r["kind"] == "day"), default=None)
    closing_events = [r for r in records_of.get("event", ()) if r["kind"] == "close"]
    named = set()
    for day in session.scalars(select(RegisterDay).where(
            RegisterDay.register_code == register_code, RegisterDay.state == "closed").order_by(RegisterDay.number)):
        signed_after = first is not None and nf525.moment(day.closed_at) >= first
        if day.uuid not in day_records and (signed_after or any(e["uuid"] == day.uuid for e in closing_events)):
            named.add(day.uuid)
            problems.append(nf525.Problem("period", None, "missing",
                                          f"day n°{day.number} is closed but its period record is not there"))
    for event in closing_events:
        if event["uuid"] and event["uuid"] not in day_records and event["uuid"] not in named:
            named.add(event["uuid"])
            problems.append(nf525.Problem("period", None, "missing", f"the closing of day {event['uuid']}"
                                          f" (event n°{event['number']}) has no period record"))
    cash_signed = {r["uuid"] for r in records_of.get("cash", ())}
    first_cash = min((r["at"] for r in records_of.get("cash", ())), default=None)
    if first_cash is not None:
        for movement in session.scalars(select(CashMovement).where(CashMovement.register_code == register_code)):
            if movement.uuid not in cash_signed and nf525.moment(movement.created_at) >= first_cash:
                problems.append(nf525.Problem("cash", None, "missing",
                                              f"cash movement n°{movement.number} has no signed record"))
    return problems
