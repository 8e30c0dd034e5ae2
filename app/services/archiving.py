"""Archiving a closed period (docs/integrity.md, « Archives »): one ZIP in open formats that a
tax inspector checks without the application (`python3 nf525.py archive.zip`) — every signed
record of the period, readable CSVs of its documents, the register's public key, and a
manifest of SHA-256 hashes signed with the box's key. Each archive is remembered (table
archive) so a purge removes only what an archive holds."""

import csv
import hashlib
import io
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import select
from sqlalchemy.orm import Session, selectinload

import nf525
from app.database import raw_cursor
from app.integrity.keys import box_key
from app.models import (
    Archive,
    CashierSession,
    CashierSessionLine,
    CashMovement,
    ChainStart,
    ClosingLine,
    RegisterDay,
    Shop,
    SigningKey,
    Ticket,
    utcnow,
)
from app.services.errors import InvalidInput, StateForbids
from app.services.integrity import check_integrity, register_of
from app.services.journal import record, refuse
from app.services.signing import SOFTWARE
from app.states import DayState
from app.sync.export_body import ticket_document

FORMAT = "comptoir-archive-1"
MAX_MONTHS = 12
RECORD_COLUMNS = (
    "id",
    "register_code",
    "chain",
    "number",
    "kind",
    "subject_uuid",
    "at",
    "key_id",
    "payload",
    "signature",
    "previous",
)
# The chains whose records sign a ticket kept in the ticket tables.
TICKET_CHAINS = ("ticket", "training")


@dataclass(frozen=True)
class ArchiveMade:
    path: str
    sha256: str
    register_code: str
    counts: dict  # chain → records in the archive


# --- which period ------------------------------------------------------------------------------


def shop_zone(session: Session) -> ZoneInfo:
    return ZoneInfo(session.scalar(select(Shop.timezone)) or "Europe/Paris")


def local_midnight(day: date, zone: ZoneInfo) -> datetime:
    """The UTC moment a local date begins in the shop's time zone."""
    return datetime.combine(day, time(0), tzinfo=zone).astimezone(timezone.utc)


def _a_year_after(day: date) -> date:
    try:
        return day.replace(year=day.year + 1)
    except ValueError:  # 29 February
        return day.replace(year=day.year + 1, day=28)


def check_period(session: Session, first: date, last: date, today: date) -> None:
    """A period may be archived once it is over and every day opened in it is closed, and it
    covers at most 12 months (the archive the law asks for each fiscal year or less)."""
    if last < first:
        raise InvalidInput(
            _l("La période est à l'envers : le %(first)s est après le %(last)s."),
            first=first.isoformat(),
            last=last.isoformat(),
        )
    if last >= _a_year_after(first):
        raise InvalidInput(
            _l("Une archive couvre au plus 12 mois : du %(first)s, jusqu'au %(limit)s au plus tard."),
            first=first.isoformat(),
            limit=(_a_year_after(first) - timedelta(days=1)).isoformat(),
        )
    if last >= today:
        raise StateForbids(
            _l("La période n'est pas close : elle doit finir avant aujourd'hui (%(today)s)."),
            today=today.isoformat(),
        )
    end = local_midnight(last + timedelta(days=1), shop_zone(session))
    still_open = session.scalar(
        select(RegisterDay).where(RegisterDay.state == DayState.OPEN, RegisterDay.opened_at < end)
    )
    if still_open is not None:
        raise StateForbids(
            _l(
                "La période n'est pas close : la journée n°%(number)s ouverte le %(opened)s n'est pas"
                " fermée. Fermez la caisse (ticket Z) avant d'archiver."
            ),
            number=still_open.number,
            opened=still_open.opened_at.date().isoformat(),
        )


# --- the archive ------------------------------------------------------------------------------


def archive_period(
    session: Session,
    first: date,
    last: date,
    folder: str,
    *,
    actor=None,
    source: str = "cli",
    today: date | None = None,
) -> ArchiveMade:
    """Write the archive of [first, last] (shop dates, both included) into `folder`, record
    it and journal it. A period whose chains do not verify is not archived: signing a
    manifest over a broken chain would vouch for it."""
    zone = shop_zone(session)
    today = today or utcnow().astimezone(zone).date()
    register_code = register_of(session)
    try:
        check_period(session, first, last, today)
    except (InvalidInput, StateForbids) as error:
        refuse(
            session,
            error,
            "archive",
            actor=actor,
            register_code=register_code,
            period_from=first.isoformat(),
            period_to=last.isoformat(),
            source=source,
        )
    verification = check_integrity(session, source=source, actor=actor)
    if not verification.sound:
        refuse(
            session,
            StateForbids(
                _l(
                    "Les chaînes signées ne sont pas intègres (%(problem)s) : rien n'a été"
                    " archivé. Voir « Intégrité »."
                ),
                problem=str(verification.problems[0]),
            ),
            "archive",
            actor=actor,
            register_code=register_code,
            period_from=first.isoformat(),
            period_to=last.isoformat(),
            source=source,
        )
    start, end = local_midnight(first, zone), local_midnight(last + timedelta(days=1), zone)
    records = _records(session, register_code, nf525.moment(start), nf525.moment(end))
    key = box_key()
    files = _files(session, register_code, records, start, end)
    files[nf525.PUBLIC_KEY] = key.public_pem.encode("ascii")
    ranges = _ranges(records)
    manifest = _manifest(session, register_code, key.key_id, (first, last, zone, start, end), records, files)
    manifest_bytes = json.dumps(manifest, indent=2, sort_keys=True, ensure_ascii=False).encode("utf-8")
    files[nf525.MANIFEST] = manifest_bytes
    files[nf525.MANIFEST_SIG] = (nf525.sign(key.private, manifest_bytes) + "\n").encode("ascii")
    name = f"comptoir-{register_code}-{first:%Y%m%d}-{last:%Y%m%d}-{utcnow():%Y%m%dT%H%M%SZ}.zip"
    path, digest = _write_zip(folder, name, files)
    session.add(
        Archive(
            register_code=register_code,
            period_from=first,
            period_to=last,
            created_at=utcnow(),
            file_name=name,
            sha256=digest,
            key_id=key.key_id,
            ranges=json.dumps({c: list(r) for c, r in ranges.items()}, sort_keys=True),
        )
    )
    record(
        session,
        "archive",
        actor=actor,
        register_code=register_code,
        period_from=first.isoformat(),
        period_to=last.isoformat(),
        file=name,
        sha256=digest,
        records=len(records),
        source=source,
    )
    session.commit()
    return ArchiveMade(path, digest, register_code, manifest["counts"])


def _manifest(
    session: Session, register_code: str, key_id: str, period: tuple, records: list[dict], files: dict
) -> dict:
    """What the archive holds, signed as a whole: the period, the keys, where each chain
    starts from and its last record, and each file's SHA-256 (docs/integrity.md)."""
    first, last, zone, start, end = period
    ranges = _ranges(records)
    return {
        "format": FORMAT,
        "scheme": nf525.SCHEME,
        "software": SOFTWARE,
        "register": register_code,
        "period": {
            "from": first.isoformat(),
            "to": last.isoformat(),
            "timezone": zone.key,
            "from_utc": nf525.moment(start),
            "to_utc": nf525.moment(end),
        },
        "created_at": nf525.moment(utcnow()),
        "key_id": key_id,
        # Keys head office registered for this register (a replaced box's records).
        "other_keys": [
            row.public_pem
            for row in session.scalars(
                select(SigningKey)
                .where(SigningKey.source == "headoffice", SigningKey.key_id != key_id)
                .order_by(SigningKey.key_id)
            )
        ],
        "counts": {chain: high - low + 1 for chain, (low, high) in ranges.items()},
        "starts": _starts(session, register_code, ranges),
        "heads": {
            chain: {"number": rows[-1]["number"], "signature": rows[-1]["signature"]}
            for chain, rows in _by_chain(records).items()
        },
        "files": {name: hashlib.sha256(data).hexdigest() for name, data in files.items()},
    }


def _records(session: Session, register_code: str, start: str, end: str) -> list[dict]:
    rows = (
        raw_cursor(session)
        .execute(
            f"SELECT {', '.join(RECORD_COLUMNS)} FROM signed_record WHERE register_code = ? AND at >= ? AND at < ?"
            " ORDER BY chain, id",
            (register_code, start, end),
        )
        .fetchall()
    )
    return [dict(row) for row in rows]


def _by_chain(records: list[dict]) -> dict[str, list[dict]]:
    chains: dict[str, list[dict]] = {}
    for row in records:
        chains.setdefault(row["chain"], []).append(row)
    return chains


def _ranges(records: list[dict]) -> dict[str, tuple[int, int]]:
    return {
        chain: (min(r["number"] for r in rows), max(r["number"] for r in rows))
        for chain, rows in _by_chain(records).items()
    }


def _starts(session: Session, register_code: str, ranges: dict) -> dict:
    """Where each chain of the archive continues from: the record just before its first, as
    the box holds it (or as a purge or head office left it in chain_start)."""
    starts = {}
    cursor = raw_cursor(session)
    for chain, (first, _last) in ranges.items():
        if first == 1:
            continue
        row = cursor.execute(
            "SELECT number, signature FROM signed_record WHERE register_code = ? AND chain = ?"
            " AND number = ?",
            (register_code, chain, first - 1),
        ).fetchone()
        if row is None:
            row = session.scalar(
                select(ChainStart).where(
                    ChainStart.register_code == register_code,
                    ChainStart.chain == chain,
                    ChainStart.number == first - 1,
                )
            )
            row = {"number": row.number, "signature": row.signature} if row else None
        if row is not None:
            starts[chain] = {"number": row["number"], "signature": row["signature"]}
    return starts


# --- the readable CSVs ------------------------------------------------------------------------


def _cell(value) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, datetime):
        return nf525.moment(value)
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _csv(columns, rows) -> bytes:
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(columns)
    for row in rows:
        writer.writerow([_cell(row[c] if isinstance(row, dict) else getattr(row, c)) for c in columns])
    return out.getvalue().encode("utf-8")


def _columns(model) -> tuple:
    return tuple(c.key for c in model.__table__.columns)


def _files(session: Session, register_code: str, records: list[dict], start: datetime, end: datetime) -> dict:
    uuids = [r["subject_uuid"] for r in records if r["chain"] in TICKET_CHAINS and r["subject_uuid"]]
    tickets = []
    for i in range(0, len(uuids), 500):
        tickets += session.scalars(
            select(Ticket)
            .where(Ticket.uuid.in_(uuids[i : i + 500]))
            .options(
                selectinload(Ticket.lines),
                selectinload(Ticket.payments),
                selectinload(Ticket.taxes),
                selectinload(Ticket.original),
            )
        )
    tickets.sort(key=lambda t: (t.finished_at or t.created_at, t.id))
    day_numbers = dict(
        session.execute(
            select(RegisterDay.id, RegisterDay.number).where(RegisterDay.id.in_({t.day_id for t in tickets}))
        ).all()
    )
    documents = [(t, dict(ticket_document(t), day_number=day_numbers.get(t.day_id))) for t in tickets]
    days = list(
        session.scalars(
            select(RegisterDay)
            .where(
                RegisterDay.register_code == register_code,
                RegisterDay.opened_at >= start,
                RegisterDay.opened_at < end,
            )
            .order_by(RegisterDay.number)
        )
    )
    day_ids = {d.id: d.uuid for d in days}
    closing = [
        dict({c: getattr(line, c) for c in _columns(ClosingLine)}, day_uuid=day_ids[line.day_id])
        for line in session.scalars(select(ClosingLine).where(ClosingLine.day_id.in_(day_ids)))
    ]
    movements = [
        dict({c: getattr(m, c) for c in _columns(CashMovement)}, day_uuid=day_ids[m.day_id])
        for m in session.scalars(
            select(CashMovement).where(CashMovement.day_id.in_(day_ids)).order_by(CashMovement.id)
        )
    ]
    cashier_sessions = [
        dict({c: getattr(cs, c) for c in _columns(CashierSession)}, day_uuid=day_ids[cs.day_id])
        for cs in session.scalars(
            select(CashierSession).where(CashierSession.day_id.in_(day_ids)).order_by(CashierSession.number)
        )
    ]
    session_lines = [
        dict({c: getattr(line, c) for c in _columns(CashierSessionLine)}, session_uuid=uuid)
        for line, uuid in session.execute(
            select(CashierSessionLine, CashierSession.uuid)
            .join(CashierSession, CashierSession.id == CashierSessionLine.session_id)
            .where(CashierSession.day_id.in_(day_ids))
        )
    ]
    return {
        "signed_records.csv": _csv(RECORD_COLUMNS, records),
        "tickets.csv": _csv(TICKET_COLUMNS, [_ticket_row(t, doc) for t, doc in documents]),
        "ticket_lines.csv": _csv(
            LINE_COLUMNS,
            [dict(line, ticket_uuid=doc["uuid"]) for _t, doc in documents for line in doc["lines"]],
        ),
        "payments.csv": _csv(
            PAYMENT_COLUMNS,
            [
                {"titre_service_issuer": None, **p, "ticket_uuid": doc["uuid"], "position": i + 1}
                for _t, doc in documents
                for i, p in enumerate(doc["payments"])
            ],
        ),
        "ticket_taxes.csv": _csv(
            TAX_COLUMNS, [dict(t, ticket_uuid=doc["uuid"]) for _t, doc in documents for t in doc["taxes"]]
        ),
        "days.csv": _csv(_columns(RegisterDay), days),
        "closing_lines.csv": _csv(("day_uuid",) + _columns(ClosingLine), closing),
        "cash_movements.csv": _csv(("day_uuid",) + _columns(CashMovement), movements),
        # Cashier sessions (docs/cashier-sessions.md): empty files in a shop working without them.
        "cashier_sessions.csv": _csv(("day_uuid",) + _columns(CashierSession), cashier_sessions),
        "cashier_session_lines.csv": _csv(("session_uuid",) + _columns(CashierSessionLine), session_lines),
    }


TICKET_COLUMNS = (
    "uuid",
    "register_code",
    "day_number",
    "number",
    "kind",
    "status",
    "original_uuid",
    "seller_code",
    "seller_name",
    "created_at",
    "finished_at",
    "discount_cents",
    "total_cents",
    "cancel_reason",
)
LINE_COLUMNS = (
    "ticket_uuid",
    "position",
    "product_code",
    "barcode",
    "label",
    "category_code",
    "quantity_milli",
    "unit_price_cents",
    "discount_cents",
    "vat_rate_bp",
    "total_cents",
)
PAYMENT_COLUMNS = (
    "ticket_uuid",
    "position",
    "uuid",
    "method_code",
    "method_name",
    "amount_cents",
    "tendered_cents",
    "change_cents",
    "reference",
    "expires_on",
    "created_at",
    "titre_service_issuer",
)
TAX_COLUMNS = ("ticket_uuid", "rate_bp", "base_cents", "tax_cents", "total_cents")


def _ticket_row(ticket: Ticket, doc: dict) -> dict:
    return dict(
        doc,
        register_code=ticket.register_code,
        seller_code=doc["seller"]["code"],
        seller_name=doc["seller"]["name"],
    )


def _write_zip(folder: str, name: str, files: dict) -> tuple[str, str]:
    """Written beside its final name and renamed: a half-written archive never looks whole."""
    os.makedirs(folder, exist_ok=True)
    fd, temporary = tempfile.mkstemp(dir=folder, prefix=".archive-", suffix=".zip")
    try:
        with os.fdopen(fd, "wb") as handle:
            with zipfile.ZipFile(handle, "w", zipfile.ZIP_DEFLATED) as archive:
                for file_name, data in files.items():
                    archive.writestr(file_name, data)
            handle.flush()
            os.fsync(handle.fileno())
        path = os.path.join(folder, name)
        os.replace(temporary, path)
    except BaseException:
        if os.path.exists(temporary):
            os.unlink(temporary)
        raise
    with open(path, "rb") as handle:
        return path, hashlib.sha256(handle.read()).hexdigest()
