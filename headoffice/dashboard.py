"""The registers dashboard: for each register of a shop, its box, its last import and export,
the batches head office refused it and not received since, the days missing between those
received, the periods it was not heard from, and the state of its signed chains.

Built from a handful of grouped queries whatever the number of registers; the batch bodies
(large) are read only on one register's page."""

import json
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from headoffice.models import (
    ChainRecord,
    ReceivedBatch,
    ReceivedDay,
    Register,
    RegisterContact,
    RegisterKey,
)
from headoffice.roles import ContactKind

# How far back the dashboard looks for offline periods.
HISTORY_DAYS = 30


class Integrity:
    VERIFIED = "verified"  # every batch's chains checked on receipt, none broke them
    BROKEN = "broken"  # a batch broke them: flagged until a person clears it
    UNSIGNED = "unsigned"  # never sent signed chains (a box before contract 1.3.0)


@dataclass(frozen=True)
class Refusal:
    batch_id: str
    at: datetime
    error: str


@dataclass
class RegisterStatus:
    id: int
    code: str
    name: str
    key_ids: list[str] = field(default_factory=list)
    last_import: datetime | None = None
    last_export: datetime | None = None
    refused: list[Refusal] = field(default_factory=list)
    missing_days: int = 0
    offline: list[tuple[datetime, datetime | None]] = field(default_factory=list)
    integrity: str = Integrity.UNSIGNED
    integrity_reason: str = ""
    integrity_since: datetime | None = None
    integrity_detail: str = ""
    signed_records: int = 0
    box: dict = field(default_factory=dict)  # terminal, device of the last batch (one register's page)

    @property
    def offline_now(self) -> bool:
        return bool(self.offline) and self.offline[-1][1] is None


def registers_overview(session: Session, shop_id: int, now: datetime, offline_after: timedelta):
    registers = {
        row.id: RegisterStatus(row.id, row.code, row.name)
        for row in session.scalars(
            select(Register).where(Register.shop_id == shop_id).order_by(Register.code)
        )
    }
    if not registers:
        return []
    ids = list(registers)
    flagged = session.execute(
        select(
            Register.id, Register.integrity_flag, Register.integrity_flagged_at, Register.integrity_detail
        ).where(Register.id.in_(ids))
    )
    for register_id, flag, since, detail in flagged:
        status = registers[register_id]
        if flag:
            status.integrity, status.integrity_reason = Integrity.BROKEN, flag
            status.integrity_since, status.integrity_detail = since, detail or ""
    for register_id, key_id in session.execute(
        select(RegisterKey.register_id, RegisterKey.key_id)
        .where(RegisterKey.register_id.in_(ids))
        .order_by(RegisterKey.id)
    ):
        registers[register_id].key_ids.append(key_id)
    for register_id, count in session.execute(
        select(ChainRecord.register_id, func.count())
        .where(ChainRecord.register_id.in_(ids))
        .group_by(ChainRecord.register_id)
    ):
        status = registers[register_id]
        status.signed_records = count
        if status.integrity != Integrity.BROKEN:
            status.integrity = Integrity.VERIFIED
    for register_id, at in session.execute(
        select(RegisterContact.register_id, func.max(RegisterContact.at))
        .where(
            RegisterContact.register_id.in_(ids),
            RegisterContact.kind == ContactKind.IMPORT,
            RegisterContact.status < 400,
        )
        .group_by(RegisterContact.register_id)
    ):
        registers[register_id].last_import = at
    for register_id, at in session.execute(
        select(ReceivedBatch.register_id, func.max(ReceivedBatch.received_at))
        .where(ReceivedBatch.register_id.in_(ids))
        .group_by(ReceivedBatch.register_id)
    ):
        registers[register_id].last_export = at
    _missing_days(session, shop_id, registers)
    _refusals(session, ids, registers)
    _offline(session, ids, registers, now, offline_after)
    return list(registers.values())


def _missing_days(session: Session, shop_id: int, registers: dict[int, RegisterStatus]) -> None:
    """Days numbered between the first and the last received that head office does not hold:
    closed on the box, not sent yet (or refused)."""
    by_code = {status.code: status for status in registers.values()}
    rows = session.execute(
        select(
            ReceivedDay.register_code,
            func.min(ReceivedDay.number),
            func.max(ReceivedDay.number),
            func.count(),
        )
        .join(ReceivedBatch, ReceivedBatch.batch_id == ReceivedDay.batch_id)
        .where(ReceivedBatch.shop_id == shop_id)
        .group_by(ReceivedDay.register_code)
    )
    for code, first, last, count in rows:
        if code in by_code:
            by_code[code].missing_days = max(0, last - first + 1 - count)


def _refusals(session: Session, ids: list[int], registers: dict[int, RegisterStatus]) -> None:
    """Batches refused (409: a conflict or broken chains) and not received since."""
    received = select(ReceivedBatch.batch_id).where(ReceivedBatch.register_id.in_(ids))
    rows = session.execute(
        select(
            RegisterContact.register_id, RegisterContact.batch_id, RegisterContact.at, RegisterContact.error
        )
        .where(
            RegisterContact.register_id.in_(ids),
            RegisterContact.kind == ContactKind.EXPORT,
            RegisterContact.status == 409,
            RegisterContact.batch_id.is_not(None),
            RegisterContact.batch_id.not_in(received),
        )
        .order_by(RegisterContact.at)
    )
    latest: dict[tuple[int, str], Refusal] = {}
    for register_id, batch_id, at, error in rows:
        latest[(register_id, batch_id)] = Refusal(batch_id, at, error)
    for (register_id, _batch), refusal in latest.items():
        registers[register_id].refused.append(refusal)


def _offline(session: Session, ids, registers, now: datetime, offline_after: timedelta) -> None:
    """Gaps longer than offline_after between two contacts in the last HISTORY_DAYS, and the
    one still open when the last contact is that old (end None)."""
    since = now - timedelta(days=HISTORY_DAYS)
    previous: dict[int, datetime] = dict(
        session.execute(
            select(RegisterContact.register_id, func.max(RegisterContact.at))
            .where(RegisterContact.register_id.in_(ids), RegisterContact.at < since)
            .group_by(RegisterContact.register_id)
        ).all()
    )
    for register_id, at in session.execute(
        select(RegisterContact.register_id, RegisterContact.at)
        .where(RegisterContact.register_id.in_(ids), RegisterContact.at >= since)
        .order_by(RegisterContact.register_id, RegisterContact.at)
    ):
        last = previous.get(register_id)
        if last is not None and at - last > offline_after:
            registers[register_id].offline.append((last, at))
        previous[register_id] = at
    for register_id, last in previous.items():
        if now - last > offline_after:
            registers[register_id].offline.append((last, None))


def register_status(session: Session, shop_id: int, code: str, now: datetime, offline_after: timedelta):
    """One register's status with the box that sent its last batch; None if unknown."""
    found = [s for s in registers_overview(session, shop_id, now, offline_after) if s.code == code]
    if not found:
        return None
    status = found[0]
    body = session.scalar(
        select(ReceivedBatch.body)
        .where(ReceivedBatch.register_id == status.id)
        .order_by(ReceivedBatch.received_at.desc())
        .limit(1)
    )
    if body:
        status.box = json.loads(body).get("box") or {}
    return status
