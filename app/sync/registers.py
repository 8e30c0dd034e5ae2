"""Head office's list of registers, kept on the box so the opening screen can offer them
(and their importers) without waiting on the network."""

import json

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from app.models import KnownRegister, utcnow


def refresh_known_registers(session: Session, client) -> dict:
    """Fetch the list (raises HeadOfficeProblem when head office cannot answer) and keep it.

    Whatever the caller read so far is committed first: every transaction here holds the
    write lock (BEGIN IMMEDIATE), and head office may take its time-out to answer."""
    session.commit()
    listing = client.list_registers()
    registers = [r for r in listing.get("registers", []) if isinstance(r, dict) and r.get("code")]
    now = utcnow()
    session.execute(delete(KnownRegister))
    for register in registers:
        session.add(
            KnownRegister(
                code=register["code"],
                name=register.get("name", register["code"]),
                importers=json.dumps(register.get("importers", [])),
                fetched_at=now,
            )
        )
    session.commit()
    return {r["code"]: r for r in registers}


def known_registers(session: Session) -> list[KnownRegister]:
    return list(session.scalars(select(KnownRegister).order_by(KnownRegister.code)))


def importers_of(register: KnownRegister) -> list[dict]:
    """Code and name only: password hashes stay in the database, never reach a template."""
    return [
        {"code": p.get("code"), "name": p.get("name", "")} for p in json.loads(register.importers or "[]")
    ]
