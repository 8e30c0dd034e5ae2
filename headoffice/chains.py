"""What head office holds of each register's signed chains (docs/integrity.md): the heads a
next batch must continue from, the registered keys, the records of an accepted batch, the
register's integrity flag, and the snapshot's part a replacement box continues from.
headoffice/integrity.py checks a batch against them."""

import json
from dataclasses import dataclass, field

from sqlalchemy import func, select

from headoffice.database import begin_write
from headoffice.extensions import db
from headoffice.models import ChainRecord, IntegrityEvent, Register, RegisterKey
from headoffice.timeutil import to_rfc3339, utcnow


@dataclass
class ChainPlan:
    """What an accepted batch adds: its key when new, the records head office lacks."""

    register_id: int
    key_id: str
    public_pem: str
    key_event: str | None  # key_registered | key_changed | None (a key already registered)
    records: list[dict] = field(default_factory=list)  # with "chain"


def heads(register_id: int) -> dict[str, tuple[int, str]]:
    """chain → (number, signature) of the last record head office holds for the register."""
    last = (
        select(ChainRecord.chain, func.max(ChainRecord.number).label("number"))
        .where(ChainRecord.register_id == register_id)
        .group_by(ChainRecord.chain)
        .subquery()
    )
    rows = db.session.execute(
        select(ChainRecord.chain, ChainRecord.number, ChainRecord.signature)
        .join(last, (last.c.chain == ChainRecord.chain) & (last.c.number == ChainRecord.number))
        .where(ChainRecord.register_id == register_id)
    )
    return {chain: (number, signature) for chain, number, signature in rows}


def heads_json(register_id: int) -> dict:
    return {
        chain: {"number": number, "signature": signature}
        for chain, (number, signature) in sorted(heads(register_id).items())
    }


def registered_keys(register_id: int) -> dict[str, str]:
    return dict(
        db.session.execute(
            select(RegisterKey.key_id, RegisterKey.public_pem)
            .where(RegisterKey.register_id == register_id)
            .order_by(RegisterKey.id)
        ).all()
    )


def store(plan: ChainPlan, batch_id: str) -> None:
    """In the batch's transaction: the new key and its event, and the records."""
    now = utcnow()
    if plan.key_event:
        db.session.add(
            RegisterKey(
                register_id=plan.register_id,
                key_id=plan.key_id,
                public_pem=plan.public_pem,
                registered_at=now,
                batch_id=batch_id,
            )
        )
        db.session.add(
            IntegrityEvent(
                register_id=plan.register_id,
                at=now,
                kind=plan.key_event,
                key_id=plan.key_id,
                batch_id=batch_id,
                detail=f"key {plan.key_id} registered for the register",
            )
        )
    if plan.records:
        db.session.execute(
            ChainRecord.__table__.insert(),
            [
                {
                    "register_id": plan.register_id,
                    "chain": r["chain"],
                    "number": r["number"],
                    "kind": r["kind"],
                    "subject_uuid": r["uuid"],
                    "at": r["at"],
                    "key_id": r["key_id"],
                    "payload": r["payload"],
                    "signature": r["signature"],
                    "previous": r["previous"],
                    "batch_id": batch_id,
                }
                for r in plan.records
            ],
        )


def flag_register(register_id: int, refused, batch_id: str) -> None:
    """Its own transaction, after the batch's was rolled back: the refusal (an
    headoffice.integrity.IntegrityRefused) is kept."""
    begin_write(db.session)
    register = db.session.get(Register, register_id)
    now = utcnow()
    register.integrity_flag, register.integrity_flagged_at = refused.reason, now
    register.integrity_detail = refused.message[:2000]
    db.session.add(
        IntegrityEvent(
            register_id=register_id,
            at=now,
            kind="batch_refused",
            reason=refused.reason,
            detail=refused.message[:2000],
            batch_id=batch_id,
        )
    )
    db.session.commit()


def clear_flag(register: Register, reason: str) -> None:
    """A person looked into it (headoffice's clear-integrity-flag): journaled, the flag goes."""
    db.session.add(
        IntegrityEvent(
            register_id=register.id,
            at=utcnow(),
            kind="flag_cleared",
            reason=register.integrity_flag or "",
            detail=reason,
        )
    )
    register.integrity_flag = register.integrity_flagged_at = register.integrity_detail = None


def integrity_json(register: Register) -> dict:
    """What GET registers shows of a register's chains: flagged or not, why, since when."""
    if not register.integrity_flag:
        return {"state": "ok"}
    return {
        "state": "flagged",
        "reason": register.integrity_flag,
        "flagged_at": to_rfc3339(register.integrity_flagged_at),
        "detail": register.integrity_detail or "",
    }


def snapshot_part(register_id: int) -> dict | None:
    """What a replacement box continues from (the snapshot's `integrity`): each chain's head,
    the last ticket number, the perpetual grand totals of the last period record, and the
    register's keys (to check the records its predecessor signed). None for a register
    that never sent signed chains."""
    keys = registered_keys(register_id)
    if not keys:
        return None
    held = heads(register_id)
    ticket = _head_fields(register_id, "ticket", held)
    period = _head_fields(register_id, "period", held)
    return {
        "heads": {
            chain: {"number": number, "signature": signature}
            for chain, (number, signature) in sorted(held.items())
        },
        "ticket_number": int(ticket.get("number") or 0),
        "perpetual_cents": int(period.get("perpetual_cents") or 0),
        "perpetual_abs_cents": int(period.get("perpetual_abs_cents") or 0),
        "keys": [{"key_id": key_id, "public_pem": pem} for key_id, pem in keys.items()],
    }


def _head_fields(register_id: int, chain: str, held: dict) -> dict:
    if chain not in held:
        return {}
    payload = db.session.scalar(
        select(ChainRecord.payload).where(
            ChainRecord.register_id == register_id,
            ChainRecord.chain == chain,
            ChainRecord.number == held[chain][0],
        )
    )
    return json.loads(payload).get("fields") or {}
