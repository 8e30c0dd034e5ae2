"""Checking the register's chains on the box (docs/integrity.md): every record's signature,
numbering and link, and that the documents still say what was signed. The CLI
(`flask --app wsgi integrity verify`) and the manager's Intégrité screen both ask here."""
import json
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import nf525
from app.database import from_sql_time, raw_cursor
from app.integrity.keys import box_key
from app.models import Box, ChainStart, SignedRecord, SigningKey, Ticket
from app.services.people import require_viewer
from app.services.journal import record as journal
from app.states import Right
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


def register_of(session: Session) -> str:
    """The register this box holds, or the one it last signed for (after an export the box
    no longer names its register, state A, but its records still do)."""
    code = session.scalar(select(Box.register_code).where(Box.id == 1))
    if code:
        return code
    row = raw_cursor(session).execute("SELECT register_code FROM signed_record ORDER BY id DESC LIMIT 1").fetchone()
    return row["register_code"] if row else ""


def verify_chains(session: Session, register_code: str | None = None) -> Verification:
    register_code = register_code or register_of(session)
    result = Verification(register_code)
    keys = trusted_keys(session)
    starts = {s.chain: s for s in session.scalars(select(ChainStart).where(
        ChainStart.register_code == register_code))}
    for chain in nf525.CHAINS:
        start = starts.get(chain)
        seen = {"count": 0, "head": start.number if start else 0}
        result.problems += nf525.check_chain(
            chain, _stream(session, register_code, chain, seen), keys,
            start=(start.number, start.signature) if start else None)
        result.counts[chain], result.heads[chain] = seen["count"], seen["head"]
    return result


CHECKED, FAILED = "integrity_check", "integrity_failure"


def check_integrity(session: Session, *, source: str, actor=None) -> Verification:
    """Verify every chain (« Vérifier maintenant », `integrity verify`, before an archive or a
    purge) and, when something is broken, journal an integrity failure (NF525 event code 90)
    naming the first broken record of each chain, in its own transaction."""
    verification = verify_chains(session)
    session.rollback()  # the check read only: nothing of it is kept
    register_code = verification.register_code or None
    if verification.sound:
        journal(session, CHECKED, actor=actor, register_code=register_code, source=source,
                counts=verification.counts)
    else:
        first = {}
        for problem in verification.problems:
            first.setdefault(problem.chain, str(problem))
        journal(session, FAILED, outcome="failed", actor=actor, register_code=register_code,
                reason=str(verification.problems[0])[:400], source=source, problems=len(verification.problems),
                first_broken=first, named=[[p.chain, p.number, p.what, p.detail] for p in verification.problems[:50]])
    session.commit()
    return verification


_RECORDS = ("SELECT register_code AS register, chain, number, kind, at, subject_uuid AS uuid, key_id, payload,"
            " signature, previous FROM signed_record WHERE register_code = ? AND chain = ? ORDER BY id")


def _stream(session: Session, register_code: str, chain: str, seen: dict):
    """The chain's records in the order they were written, _BATCH rows at a time: a box with
    a million records checks them without holding them all (bench/verify_chains.py)."""
    cursor = raw_cursor(session).execute(_RECORDS, (register_code, chain))
    while part := [dict(row) for row in cursor.fetchmany(_BATCH)]:
        if chain in ("ticket", "training"):
            _attach_tickets(session, part)
        seen["count"] += len(part)
        seen["head"] = max([seen["head"]] + [r["number"] for r in part])
        yield from part


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


# --- the manager's Intégrité screen ------------------------------------------------------------

@dataclass(frozen=True)
class ChainState:
    chain: str
    count: int
    head: int
    problems: list  # nf525.Problem, from the check shown


@dataclass(frozen=True)
class IntegrityOverview:
    register_code: str
    chains: list[ChainState]
    checked_at: datetime | None  # the last check journaled
    sound: bool | None  # None: never checked


def integrity_overview(session: Session, viewer) -> IntegrityOverview:
    """Each chain's count and last number (one cheap query: opening the screen does not check
    a million signatures), with the result of the last check, as the journal holds it."""
    require_viewer(session, viewer, Right.MANAGE, "integrity")
    register_code = register_of(session)
    cursor = raw_cursor(session)
    counts = {row["chain"]: (row["n"], row["head"]) for row in cursor.execute(
        "SELECT chain, COUNT(*) AS n, MAX(number) AS head FROM signed_record WHERE register_code = ?"
        " GROUP BY chain", (register_code,))}
    starts = {row["chain"]: row["number"] for row in cursor.execute(
        "SELECT chain, number FROM chain_start WHERE register_code = ?", (register_code,))}
    checked_at, problems = _last_check(cursor)
    chains = [ChainState(chain, counts.get(chain, (0, 0))[0], counts.get(chain, (0, None))[1] or starts.get(chain, 0),
                         [p for p in problems or () if p.chain == chain]) for chain in nf525.CHAINS]
    return IntegrityOverview(register_code, chains, checked_at, None if problems is None else not problems)


def check_now(session: Session, viewer) -> Verification:
    """« Vérifier maintenant »: the whole check, journaled (code 90 when broken), which the
    screen then shows."""
    require_viewer(session, viewer, Right.MANAGE, "integrity")
    return check_integrity(session, source="screen", actor=viewer)


def _last_check(cursor) -> tuple[datetime | None, list | None]:
    row = cursor.execute("SELECT at, action, details FROM journal_entry WHERE action IN (?, ?)"
                         " ORDER BY id DESC LIMIT 1", (CHECKED, FAILED)).fetchone()
    if row is None:
        return None, None
    if row["action"] == CHECKED:
        return from_sql_time(row["at"]), []
    named = json.loads(row["details"] or "{}").get("named") or []
    return from_sql_time(row["at"]), [nf525.Problem(*problem) for problem in named]
