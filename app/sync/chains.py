"""The register's signed chains between the box and head office (docs/integrity.md).

Exporting: every batch carries the records head office has not acknowledged yet, each
chain's head as the box holds it, the box's public key and the offline periods. Head
office answers with the heads it now holds; the box keeps them (chain_ack: signed_record
itself is never updated) and sends only what follows next time.

Importing: a box with no records of its own for the register (a replacement) continues
from head office: each chain starts after head office's head, the ticket numbers after the
last one, the perpetual totals where they were, and the predecessor's key checks its
records."""

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

import nf525
from app.database import raw_cursor
from app.integrity.keys import box_key
from app.models import ChainAck, ChainStart, ExportBatch, SigningKey, SyncRun, utcnow
from app.services.journal import record
from app.states import SyncRunKind, SyncRunStatus
from app.sync.export_body import iso

_RECORDS = (
    "SELECT payload, signature FROM signed_record"
    " WHERE register_code = ? AND chain = ? AND number > ? ORDER BY number"
)
_LAST = (
    "SELECT number, signature FROM signed_record WHERE register_code = ? AND chain = ?"
    " ORDER BY number DESC LIMIT 1"
)
_MAX_PERIODS = 200


# --- Exporting -------------------------------------------------------------------------------


def integrity_part(session: Session, register_code: str, created_at: datetime) -> dict:
    """The ExportBatch's `integrity` (docs/openapi.yaml). Every chain of nf525.CHAINS, the
    training chain included: its records anchor it like the others, while training tickets
    themselves are never in the days' tickets."""
    cursor = raw_cursor(session)
    acked = {
        a.chain: a.number
        for a in session.scalars(select(ChainAck).where(ChainAck.register_code == register_code))
    }
    starts = {
        s.chain: (s.number, s.signature)
        for s in session.scalars(select(ChainStart).where(ChainStart.register_code == register_code))
    }
    chains = {}
    for chain in nf525.CHAINS:
        rows = cursor.execute(_RECORDS, (register_code, chain, acked.get(chain, 0))).fetchall()
        # The head is the box's own last record, even below what head office acknowledged:
        # records deleted on the box (a tail) are then seen by head office.
        last = cursor.execute(_LAST, (register_code, chain)).fetchone()
        head = (last["number"], last["signature"]) if last else starts.get(chain)
        if head is None:
            continue
        chains[chain] = {
            "head": {"number": head[0], "signature": head[1]},
            # The payload says everything else (number, kind, time, key, previous signature):
            # sending it twice would only cost bytes on the shop's uplink.
            "records": [{"payload": r["payload"], "signature": r["signature"]} for r in rows],
        }
    key = box_key()
    return {
        "scheme": nf525.SCHEME,
        "key": {"key_id": key.key_id, "public_pem": key.public_pem},
        "chains": chains,
        "offline_periods": offline_periods(session, created_at),
    }


def offline_periods(session: Session, until: datetime) -> list[dict]:
    """From each successful exchange with head office to the next, since the last export head
    office acknowledged, the last one ending as this batch is prepared. An exchange is an
    import that ended well (sync_run) or a batch acknowledged (by Exporter or by the
    scheduler's retries, which run no sync_run). The series of batches covers the
    register's whole life."""
    last_ack = session.scalar(
        select(ExportBatch.acknowledged_at)
        .where(ExportBatch.acknowledged_at.is_not(None))
        .order_by(ExportBatch.acknowledged_at.desc())
        .limit(1)
    )
    imports = select(SyncRun.finished_at).where(
        SyncRun.kind == SyncRunKind.IMPORT,
        SyncRun.status == SyncRunStatus.DONE,
        SyncRun.finished_at.is_not(None),
    )
    if last_ack is not None:
        imports = imports.where(SyncRun.finished_at >= last_ack)
    moments = sorted({*session.scalars(imports), *([last_ack] if last_ack else [])})[-_MAX_PERIODS:]
    return [
        {"from": iso(start), "to": iso(end)}
        for start, end in zip(moments, [*moments[1:], until])
        if start <= end
    ]


def remember_heads(session: Session, register_code: str, heads, batch_id: str | None) -> None:
    """Head office's answer: what it holds of each chain (absent from an older head office)."""
    if not isinstance(heads, dict):
        return
    now = utcnow()
    for chain, head in heads.items():
        if (
            chain not in nf525.CHAINS
            or not isinstance(head, dict)
            or not isinstance(head.get("number"), int)
            or not isinstance(head.get("signature"), str)
        ):
            continue
        ack = session.get(ChainAck, (register_code, chain))
        if ack is None:
            ack = ChainAck(register_code=register_code, chain=chain)
            session.add(ack)
        ack.number, ack.signature, ack.acknowledged_at, ack.batch_id = (
            head["number"],
            head["signature"],
            now,
            batch_id,
        )


# --- Importing: a replacement box continues --------------------------------------------------


def continue_from_headoffice(session: Session, part: dict | None, register_code: str, actor: str) -> None:
    """In the import's transaction. A box with records of its own for the register only
    learns the keys; a box without (a replacement, or a fresh database) continues the chains,
    the ticket numbers and the perpetual totals where head office holds them."""
    if not part:
        return
    now = utcnow()
    own_key = box_key().key_id
    for key in part["keys"]:
        if key["key_id"] != own_key and session.get(SigningKey, key["key_id"]) is None:
            session.add(
                SigningKey(
                    key_id=key["key_id"], public_pem=key["public_pem"], source="headoffice", created_at=now
                )
            )
    cursor = raw_cursor(session)
    if cursor.execute(
        "SELECT 1 FROM signed_record WHERE register_code = ? LIMIT 1", (register_code,)
    ).fetchone():
        return
    for chain, head in part["heads"].items():
        start = session.get(ChainStart, (register_code, chain))
        if start is not None and start.source == "archive":
            continue
        if start is None:
            start = ChainStart(register_code=register_code, chain=chain)
            session.add(start)
        start.number, start.signature, start.source, start.at = (
            head["number"],
            head["signature"],
            "headoffice",
            now,
        )
        start.perpetual_cents, start.perpetual_abs_cents = (
            part["perpetual_cents"],
            part["perpetual_abs_cents"],
        )
        session.merge(
            ChainAck(
                register_code=register_code,
                chain=chain,
                number=head["number"],
                signature=head["signature"],
                acknowledged_at=now,
                batch_id=None,
            )
        )
    cursor.execute(
        "INSERT INTO sequence (register_code, name, last_value) VALUES (?, 'ticket', ?)"
        " ON CONFLICT (register_code, name) DO UPDATE SET last_value ="
        " MAX(last_value, excluded.last_value)",
        (register_code, part["ticket_number"]),
    )
    record(
        session,
        "chains_continued",
        actor=actor,
        register_code=register_code,
        heads={c: h["number"] for c, h in part["heads"].items()},
        ticket_number=part["ticket_number"],
        perpetual_cents=part["perpetual_cents"],
    )
