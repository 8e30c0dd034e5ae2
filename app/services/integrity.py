"""Checking the register's chains on the box (docs/integrity.md): every record's signature,
numbering and link, and that the documents still say what was signed. The CLI
(`flask --app wsgi integrity verify`) and the manager's Intégrité screen both ask here."""

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import nf525
from app.database import from_sql_time, raw_cursor
from app.integrity.keys import box_key
from app.models import (
    Box,
    CardTransaction,
    CashCount,
    CashierSession,
    CashMovement,
    ChainStart,
    JournalEntry,
    PrintJob,
    RegisterDay,
    SafeMovement,
    SignedRecord,
    SigningKey,
    Ticket,
)
from app.services.journal import record as journal
from app.services.people import require_viewer
from app.services.signing import (
    card_transaction_document,
    cash_count_document,
    cash_movement_document,
    cashier_session_document,
    safe_movement_document,
)
from app.states import DayState, Right
from app.sync.export_body import ticket_document

_BATCH = 500
_CLOSING_EVENT = "close"  # the journal action a closing's event carries (app/integrity/events.py)


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
    row = (
        raw_cursor(session)
        .execute("SELECT register_code FROM signed_record ORDER BY id DESC LIMIT 1")
        .fetchone()
    )
    return row["register_code"] if row else ""


def verify_chains(session: Session, register_code: str | None = None) -> Verification:
    register_code = register_code or register_of(session)
    result = Verification(register_code)
    keys = trusted_keys(session)
    starts = {
        s.chain: s
        for s in session.scalars(select(ChainStart).where(ChainStart.register_code == register_code))
    }
    records_of = {}
    for chain in nf525.CHAINS:
        start = starts.get(chain)
        seen, kept = {"count": 0, "head": start.number if start else 0}, []
        result.problems += nf525.check_chain(
            chain,
            _stream(session, register_code, chain, seen, kept),
            keys,
            start=(start.number, start.signature) if start else None,
        )
        result.counts[chain], result.heads[chain] = seen["count"], seen["head"]
        records_of[chain] = kept
    result.problems += _unsigned_documents(session, register_code, records_of)
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
        journal(
            session,
            CHECKED,
            actor=actor,
            register_code=register_code,
            source=source,
            counts=verification.counts,
        )
    else:
        first = {}
        for problem in verification.problems:
            first.setdefault(problem.chain, str(problem))
        journal(
            session,
            FAILED,
            outcome="failed",
            actor=actor,
            register_code=register_code,
            reason=str(verification.problems[0])[:400],
            source=source,
            problems=len(verification.problems),
            first_broken=first,
            named=[[p.chain, p.number, p.what, p.detail] for p in verification.problems[:50]],
        )
    session.commit()
    return verification


_RECORDS = (
    "SELECT register_code AS register, chain, number, kind, at, subject_uuid AS uuid, key_id, payload,"
    " signature, previous FROM signed_record WHERE register_code = ? AND chain = ? ORDER BY id"
)


def _stream(session: Session, register_code: str, chain: str, seen: dict, kept: list):
    """The chain's records in the order they were written, _BATCH rows at a time: a box with
    a million records checks them without holding them all (bench/verify_chains.py). Each
    batch is compared with its documents (READERS); `kept` keeps the little of the records
    their reader's `keep` chose, for the `missing` rules."""
    cursor = raw_cursor(session).execute(_RECORDS, (register_code, chain))
    reader = READERS.get(chain)
    while part := [dict(row) for row in cursor.fetchmany(_BATCH)]:
        if reader is not None:
            reader.attach(session, part)
        if reader is not None and reader.keep is not None:
            kept += [{k: r[k] for k in ("uuid", "kind", "at", "number")} for r in part if reader.keep(r)]
        seen["count"] += len(part)
        seen["head"] = max([seen["head"]] + [r["number"] for r in part])
        yield from part


def _as_dict(record: SignedRecord) -> dict:
    return {
        "register": record.register_code,
        "chain": record.chain,
        "number": record.number,
        "kind": record.kind,
        "at": record.at,
        "uuid": record.subject_uuid,
        "key_id": record.key_id,
        "payload": record.payload,
        "signature": record.signature,
        "previous": record.previous,
    }


def _batches(records: list[dict]):
    for i in range(0, len(records), _BATCH):
        yield records[i : i + _BATCH]


def _attach_tickets(session: Session, records: list[dict]) -> None:
    """Each record gets the fields its ticket has today (None if the ticket is gone), so an
    edited quantity, price or payment is named."""
    for part in _batches(records):
        tickets = {
            t.uuid: t
            for t in session.scalars(
                select(Ticket)
                .where(Ticket.uuid.in_([r["uuid"] for r in part]))
                .options(
                    selectinload(Ticket.lines),
                    selectinload(Ticket.payments),
                    selectinload(Ticket.taxes),
                    selectinload(Ticket.original),
                )
            )
        }
        for record in part:
            ticket = tickets.get(record["uuid"])
            record["document"] = nf525.ticket_fields(ticket_document(ticket)) if ticket else None


def _attach_days(session: Session, records: list[dict]) -> None:
    """A day's period record against the closed day's row: the Z's totals (ticket count,
    total, perpetual grand total) as the row says them today. Months and years have no row."""
    days_records = [r for r in records if r["kind"] == "day"]
    for part in _batches(days_records):
        days = {
            d.uuid: d
            for d in session.scalars(
                select(RegisterDay).where(RegisterDay.uuid.in_([r["uuid"] for r in part]))
            )
        }
        for record in part:
            signed, day = nf525._signed(record["payload"].encode("utf-8")), days.get(record["uuid"])
            record["document"] = (
                None
                if day is None
                else {
                    **(signed or {}),
                    "day_number": day.number,
                    "ticket_count": day.ticket_count,
                    "total_cents": day.sales_total_cents,
                    "perpetual_cents": day.grand_total_cents,
                    "closed_at": nf525.moment(day.closed_at),
                }
            )


def _attach_cash(session: Session, records: list[dict]) -> None:
    """Cash movements and counts against their rows (amount, method, reason, grid…)."""
    day_uuids = dict(session.execute(select(RegisterDay.id, RegisterDay.uuid)).all())
    for part in _batches(records):
        uuids = [r["uuid"] for r in part]
        movements = {
            m.uuid: m for m in session.scalars(select(CashMovement).where(CashMovement.uuid.in_(uuids)))
        }
        counts = {c.uuid: c for c in session.scalars(select(CashCount).where(CashCount.uuid.in_(uuids)))}
        cashier_sessions = {
            s.uuid: s
            for s in session.scalars(
                select(CashierSession)
                .where(CashierSession.uuid.in_(uuids))
                .options(selectinload(CashierSession.lines))
            )
        }
        for record in part:
            if record["kind"] in ("session_open", "session_close"):
                row = cashier_sessions.get(record["uuid"])
                record["document"] = (
                    None
                    if row is None
                    else nf525.cashier_session_fields(
                        cashier_session_document(row, day_uuids.get(row.day_id)), record["kind"]
                    )
                )
            elif record["kind"] == "movement":
                row = movements.get(record["uuid"])
                record["document"] = (
                    None
                    if row is None
                    else nf525.cash_movement_fields(cash_movement_document(row, day_uuids.get(row.day_id)))
                )
            else:
                row = counts.get(record["uuid"])
                record["document"] = (
                    None
                    if row is None
                    else nf525.cash_count_fields(cash_count_document(row, day_uuids.get(row.day_id)))
                )


def _attach_rows(model, fields):
    """A reader for a family with one row per record, found by uuid: each record gets
    `fields(row, day_uuid)`, what the row says today (None if the row is gone)."""

    def attach(session: Session, records: list[dict]) -> None:
        day_uuids = dict(session.execute(select(RegisterDay.id, RegisterDay.uuid)).all())
        for part in _batches(records):
            rows = {
                row.uuid: row
                for row in session.scalars(select(model).where(model.uuid.in_([r["uuid"] for r in part])))
            }
            for record in part:
                row = rows.get(record["uuid"])
                record["document"] = None if row is None else fields(row, day_uuids.get(row.day_id))

    return attach


def _attach_events(session: Session, records: list[dict]) -> None:
    """An event against its journal entry: an edited or deleted journal line is named."""
    for part in _batches(records):
        fields = {id(r): nf525._signed(r["payload"].encode("utf-8")) or {} for r in part}
        wanted = [f.get("journal_id") for f in fields.values() if f.get("journal_id")]
        entries = {e.id: e for e in session.scalars(select(JournalEntry).where(JournalEntry.id.in_(wanted)))}
        for record in part:
            signed = fields[id(record)]
            entry = entries.get(signed.get("journal_id"))
            record["document"] = (
                None
                if entry is None
                else nf525.event_fields(
                    {
                        "id": entry.id,
                        "action": entry.action,
                        "outcome": entry.outcome,
                        "actor_code": entry.actor_code,
                        "actor_name": entry.actor_name,
                        "reason": entry.reason,
                        "details": entry.details,
                    },
                    signed.get("code"),
                    signed.get("label"),
                )
            )


def _attach_copies(session: Session, records: list[dict]) -> None:
    """A copy against its print job (which document, which copy): a copy renumbered or
    removed from the queue is named."""
    for part in _batches(records):
        fields = {id(r): nf525._signed(r["payload"].encode("utf-8")) or {} for r in part}
        jobs = {
            (j.document_uuid, j.copy_number): j
            for j in session.scalars(
                select(PrintJob).where(
                    PrintJob.document_uuid.in_({r["uuid"] for r in part}), PrintJob.copy_number > 0
                )
            )
        }
        for record in part:
            signed = fields[id(record)]
            job = jobs.get((record["uuid"], signed.get("copy_number")))
            record["document"] = (
                None
                if job is None
                else {
                    **signed,
                    "original_uuid": job.document_uuid,
                    "document": job.kind,
                    "copy_number": job.copy_number,
                }
            )


def _rows_without_record(model, chain: str, name: str, *, since_chain_began: bool = False):
    """A `missing` rule for a family with one row per record: every row of the register with
    no record in `chain`. `since_chain_began`: only rows written since the chain's first
    record (a family older than signing has rows from before it)."""

    def missing(session: Session, register_code: str, kept: dict) -> list:
        records = kept.get(chain, ())
        signed = {r["uuid"] for r in records}
        first = min((r["at"] for r in records), default=None)
        if since_chain_began and first is None:
            return []
        rows = session.execute(
            select(model.uuid, model.number, model.created_at)
            .where(model.register_code == register_code)
            .order_by(model.number)
        )
        return [
            nf525.Problem(chain, None, "missing", f"{name} n°{number} has no signed record")
            for uuid, number, created_at in rows
            if uuid not in signed and (not since_chain_began or nf525.moment(created_at) >= first)
        ]

    return missing


def _days_without_record(session: Session, register_code: str, kept: dict) -> list:
    """A closed day signed after the chain began with no period record — a deleted last Z,
    whatever the head office knows. A closing event whose day has no period record says the
    same when the day's row went too."""
    problems = []
    day_records = {r["uuid"] for r in kept.get("period", ()) if r["kind"] == "day"}
    first = min((r["at"] for r in kept.get("period", ()) if r["kind"] == "day"), default=None)
    closing_events = kept.get("event", ())
    named = set()
    for day in session.scalars(
        select(RegisterDay)
        .where(RegisterDay.register_code == register_code, RegisterDay.state == DayState.CLOSED)
        .order_by(RegisterDay.number)
    ):
        signed_after = first is not None and nf525.moment(day.closed_at) >= first
        if day.uuid not in day_records and (
            signed_after or any(e["uuid"] == day.uuid for e in closing_events)
        ):
            named.add(day.uuid)
            problems.append(
                nf525.Problem(
                    "period",
                    None,
                    "missing",
                    f"day n°{day.number} is closed but its period record is not there",
                )
            )
    for event in closing_events:
        if event["uuid"] and event["uuid"] not in day_records and event["uuid"] not in named:
            named.add(event["uuid"])
            problems.append(
                nf525.Problem(
                    "period",
                    None,
                    "missing",
                    f"the closing of day {event['uuid']} (event n°{event['number']}) has no period record",
                )
            )
    return problems


_movements_without_record = _rows_without_record(
    CashMovement, "cash", "cash movement", since_chain_began=True
)


def _cash_without_record(session: Session, register_code: str, kept: dict) -> list:
    """A cash movement, or a cashier session opened (or closed), since the chain began without
    its record."""
    problems = _movements_without_record(session, register_code, kept)
    first_cash = min((r["at"] for r in kept.get("cash", ())), default=None)
    if first_cash is None:
        return problems
    signed = {(r["uuid"], r["kind"]) for r in kept["cash"]}
    for row in session.scalars(select(CashierSession).where(CashierSession.register_code == register_code)):
        for kind, moment in (("session_open", row.opened_at), ("session_close", row.closed_at)):
            if moment is not None and (row.uuid, kind) not in signed and nf525.moment(moment) >= first_cash:
                problems.append(
                    nf525.Problem(
                        "cash", None, "missing", f"cashier session n°{row.number} has no {kind} record"
                    )
                )
    return problems


def _every(record: dict) -> bool:
    return True


def _closing(record: dict) -> bool:
    return record["kind"] == _CLOSING_EVENT


@dataclass(frozen=True)
class Reader:
    """How the verifier reads one chain's documents. `attach` gives each record "document":
    the fields its rows say today, None if they are gone (an altered or deleted row). `missing`
    names the family's rows that have no record (a deleted record): (session, register_code,
    kept) → problems, where kept holds, per chain, the records its `keep` chose (uuid, kind,
    at, number)."""

    attach: Callable[[Session, list], None]
    missing: Callable[[Session, str, dict], list] | None = None
    keep: Callable[[dict], bool] | None = None


def _one_row_each(chain: str, model, name: str, signed_fields, document) -> Reader:
    """The reader of a family with one row per record, every row signed from the first: what
    the row says is `signed_fields(document(row, day_uuid))`."""
    return Reader(
        _attach_rows(model, lambda row, day: signed_fields(document(row, day))),
        _rows_without_record(model, chain, name),
        _every,
    )


# Per chain, how its records are compared with the documents they signed, and what a row with
# no record is. A new family of documents joins the verifier with one entry here; a chain
# without one is checked alone.
READERS = {
    "ticket": Reader(_attach_tickets),
    "training": Reader(_attach_tickets),
    "period": Reader(_attach_days, _days_without_record, _every),
    "copy": Reader(_attach_copies),
    "cash": Reader(_attach_cash, _cash_without_record, _every),
    "event": Reader(_attach_events, keep=_closing),  # a closing event names a day's missing Z
    "safe": _one_row_each(
        "safe", SafeMovement, "safe movement", nf525.safe_movement_fields, safe_movement_document
    ),
    "card": _one_row_each(
        "card", CardTransaction, "card transaction", nf525.card_transaction_fields, card_transaction_document
    ),
}


def _unsigned_documents(session: Session, register_code: str, kept: dict) -> list:
    """Documents written with no record in their chain, each family as its reader says."""
    problems = []
    for reader in READERS.values():
        if reader.missing is not None:
            problems += reader.missing(session, register_code, kept)
    return problems


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
    counts = {
        row["chain"]: (row["n"], row["head"])
        for row in cursor.execute(
            "SELECT chain, COUNT(*) AS n, MAX(number) AS head FROM signed_record WHERE register_code = ?"
            " GROUP BY chain",
            (register_code,),
        )
    }
    starts = {
        row["chain"]: row["number"]
        for row in cursor.execute(
            "SELECT chain, number FROM chain_start WHERE register_code = ?", (register_code,)
        )
    }
    checked_at, problems = _last_check(cursor)
    chains = [
        ChainState(
            chain,
            counts.get(chain, (0, 0))[0],
            counts.get(chain, (0, None))[1] or starts.get(chain, 0),
            [p for p in problems or () if p.chain == chain],
        )
        for chain in nf525.CHAINS
    ]
    return IntegrityOverview(register_code, chains, checked_at, None if problems is None else not problems)


def check_now(session: Session, viewer) -> Verification:
    """« Vérifier maintenant »: the whole check, journaled (code 90 when broken), which the
    screen then shows."""
    require_viewer(session, viewer, Right.MANAGE, "integrity")
    return check_integrity(session, source="screen", actor=viewer)


def _last_check(cursor) -> tuple[datetime | None, list | None]:
    row = cursor.execute(
        "SELECT at, action, details FROM journal_entry WHERE action IN (?, ?) ORDER BY id DESC LIMIT 1",
        (CHECKED, FAILED),
    ).fetchone()
    if row is None:
        return None, None
    if row["action"] == CHECKED:
        return from_sql_time(row["at"]), []
    named = json.loads(row["details"] or "{}").get("named") or []
    return from_sql_time(row["at"]), [nf525.Problem(*problem) for problem in named]
