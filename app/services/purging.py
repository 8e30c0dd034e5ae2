"""Purging what an archive already holds (docs/integrity.md, « Purge »): the tickets of a
past period and their signed records leave the box, the chain then continues from the last
purged record (chain_start, source 'archive', which migration 0006's trigger requires before
any signed record may go). Period totals (the 'period' chain, the days and their Z) are never
purged, and nothing younger than INTEGRITY_KEEP_YEARS is."""

from dataclasses import dataclass
from datetime import date

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session

import nf525
from app.database import raw_cursor
from app.models import Archive, ChainStart, utcnow
from app.services.archiving import local_midnight, shop_zone
from app.services.errors import StateForbids
from app.services.integrity import check_integrity, register_of
from app.services.journal import record, refuse

# The chains whose old records may leave the box; 'period' (day, month and year totals) and
# 'event' (the journal of what happened) stay for the box's whole life.
PURGED_CHAINS = ("ticket",)


@dataclass(frozen=True)
class Purged:
    chain: str
    first: int
    last: int
    tickets: int


def keep_limit(today: date, years: int) -> date:
    """The earliest `before` date that still keeps `years` whole years on the box."""
    try:
        return today.replace(year=today.year - years)
    except ValueError:  # 29 February
        return today.replace(year=today.year - years, day=28)


def purge_before(
    session: Session, before: date, *, actor=None, source: str = "cli", today: date | None = None
) -> list[Purged]:
    """Remove the tickets signed before `before` (a shop date) and their signed records,
    chain by chain, once archives cover every one of them."""
    zone = shop_zone(session)
    today = today or utcnow().astimezone(zone).date()
    register_code = register_of(session)
    years = int(current_app.config["INTEGRITY_KEEP_YEARS"])
    details = {"before": before.isoformat(), "source": source}
    if before > keep_limit(today, years):
        refuse(
            session,
            StateForbids(
                _l(
                    "Les données se gardent au moins %(years)s ans : une purge ne peut porter que sur ce qui précède le"
                    " %(limit)s."
                ),
                years=years,
                limit=keep_limit(today, years).isoformat(),
            ),
            "purge",
            actor=actor,
            register_code=register_code,
            **details,
        )
    if not check_integrity(session, source=source, actor=actor).sound:
        refuse(
            session,
            StateForbids(
                _l("Les chaînes signées ne sont pas intègres : rien n'a été purgé. Voir « Intégrité ».")
            ),
            "purge",
            actor=actor,
            register_code=register_code,
            **details,
        )
    moment = nf525.moment(local_midnight(before, zone))
    plans = []
    for chain in PURGED_CHAINS:
        plan = _plan(session, register_code, chain, moment)
        if plan is None:
            continue
        uncovered = _first_uncovered(session, register_code, chain, *plan[:2])
        if uncovered is not None:
            refuse(
                session,
                StateForbids(
                    _l(
                        "Le document n°%(number)s (%(chain)s) d'avant le %(before)s n'est dans aucune archive : archivez"
                        " la période d'abord (flask --app wsgi integrity archive)."
                    ),
                    number=uncovered,
                    chain=chain,
                    before=before.isoformat(),
                ),
                "purge",
                actor=actor,
                register_code=register_code,
                **details,
            )
        plans.append((chain, *plan))
    done = [_purge_chain(session, register_code, *plan) for plan in plans]
    record(
        session,
        "purge",
        actor=actor,
        register_code=register_code,
        chains={p.chain: [p.first, p.last] for p in done},
        tickets=sum(p.tickets for p in done),
        **details,
    )
    session.commit()
    return done


def _plan(session: Session, register_code: str, chain: str, moment: str):
    """(first, last, last signature) of the records of `chain` signed before `moment` that
    are still on the box; None when there are none."""
    cursor = raw_cursor(session)
    last = cursor.execute(
        "SELECT number, signature FROM signed_record WHERE register_code = ? AND chain = ?"
        " AND at < ? ORDER BY number DESC LIMIT 1",
        (register_code, chain, moment),
    ).fetchone()
    if last is None:
        return None
    first = cursor.execute(
        "SELECT MIN(number) FROM signed_record WHERE register_code = ? AND chain = ?", (register_code, chain)
    ).fetchone()[0]
    return first, last["number"], last["signature"]


def _first_uncovered(session: Session, register_code: str, chain: str, first: int, last: int) -> int | None:
    """The first number in [first, last] that no archive of this register holds."""
    ranges = sorted(
        archive.chain_ranges()[chain]
        for archive in session.scalars(select(Archive).where(Archive.register_code == register_code))
        if chain in archive.chain_ranges()
    )
    wanted = first
    for low, high in ranges:
        if low > wanted:
            break
        wanted = max(wanted, high + 1)
    return wanted if wanted <= last else None


def _purge_chain(
    session: Session, register_code: str, chain: str, first: int, last: int, signature: str
) -> Purged:
    start = session.get(ChainStart, (register_code, chain))
    if start is None:
        start = ChainStart(register_code=register_code, chain=chain, perpetual_cents=0, perpetual_abs_cents=0)
        session.add(start)
    # The chain continues from the last purged record: set before the DELETE, which the
    # trigger allows only up to this number.
    start.number, start.signature, start.source, start.at = last, signature, "archive", utcnow()
    session.flush()
    cursor = raw_cursor(session)
    uuids = [
        row[0]
        for row in cursor.execute(
            "SELECT subject_uuid FROM signed_record WHERE register_code = ? AND chain = ? AND number <= ?"
            " AND subject_uuid IS NOT NULL",
            (register_code, chain, last),
        )
    ]
    tickets = _removable(cursor, uuids)
    for i in range(0, len(tickets), 500):
        part = tickets[i : i + 500]
        marks = ", ".join("?" * len(part))
        # Children first, while their ticket is there for the triggers to see it is archived.
        for table in ("ticket_line", "payment", "ticket_tax"):
            cursor.execute(f"DELETE FROM {table} WHERE ticket_id IN ({marks})", part)
        cursor.execute(f"DELETE FROM ticket WHERE id IN ({marks})", part)
    cursor.execute(
        "DELETE FROM signed_record WHERE register_code = ? AND chain = ? AND number <= ?",
        (register_code, chain, last),
    )
    return Purged(chain, first, last, len(tickets))


def _removable(cursor, uuids: list[str]) -> list[int]:
    """The tickets among `uuids` that no ticket kept on the box points to (a later return
    names its original ticket and lines): those stay, only their signed records go."""
    ids = set()
    for i in range(0, len(uuids), 500):
        part = uuids[i : i + 500]
        ids |= {
            row[0]
            for row in cursor.execute(
                f"SELECT id FROM ticket WHERE uuid IN ({', '.join('?' * len(part))})", part
            )
        }
    while True:
        referrers = {
            row[0]: row[1]
            for row in cursor.execute(
                "SELECT id, original_ticket_id FROM ticket WHERE original_ticket_id IS NOT NULL"
            )
        }
        kept_refer = {orig for tid, orig in referrers.items() if orig in ids and tid not in ids}
        if not kept_refer:
            return sorted(ids)
        ids -= kept_refer
