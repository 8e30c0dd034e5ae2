"""A record joins its register's chain: the next number, the previous record's signature,
the box's key, one INSERT — in the caller's transaction, so the document, its number and its
signature are written together or not at all (every transaction is BEGIN IMMEDIATE on the
box: two writers cannot read the same head). Plain SQL: Valider signs every sale."""

from dataclasses import dataclass
from datetime import datetime
from functools import cache

from sqlalchemy.orm import Session

import nf525
from app.database import raw_cursor
from app.integrity.keys import box_key

_HEAD = (
    "SELECT chain, number, signature, at FROM signed_record WHERE register_code = ?1 AND chain = '{}'"
    " ORDER BY number DESC LIMIT 1"
)
# Nothing may be added to a closed period, and a period may not close before what it holds:
# a chain's record is also refused when the clock is before these chains' heads.
FLOORS = {
    "ticket": ("period",),
    "cash": ("period",),
    "card": ("period",),
    "copy": ("period",),
    "safe": ("period",),
    "period": ("ticket", "cash", "safe", "card"),
}
_START = "SELECT number, signature FROM chain_start WHERE register_code = ? AND chain = ?"
_INSERT = (
    "INSERT INTO signed_record (register_code, chain, number, kind, subject_uuid, at, key_id,"
    " payload, signature, previous) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)"
)


@cache
def _heads_query(chain: str, with_floors: bool) -> str:
    """The last record of the chain and of the chains that floor it, in one statement: each
    is the top of the (register, chain, number) unique index. Chain names come from FLOORS and
    nf525.CHAINS, never from a request."""
    if chain not in nf525.CHAINS:
        raise ValueError(f"unknown chain {chain!r}")
    chains = (chain, *FLOORS.get(chain, ())) if with_floors else (chain,)
    return " UNION ALL ".join(f"SELECT * FROM ({_HEAD.format(name)})" for name in chains)


class ClockWentBack(Exception):
    """The box's clock is before the chain's last record: nothing may be added to a period
    already signed. The service that tried says so to the person and journals it."""

    def __init__(self, chain: str, last_at: str):
        super().__init__(f"{chain}: clock before the last signed record ({last_at})")
        self.chain, self.last_at = chain, last_at


@dataclass(frozen=True)
class Signed:
    chain: str
    number: int
    signature: str

    @property
    def extract(self) -> str:
        return nf525.extract(self.signature)


def append(
    session: Session,
    register_code: str,
    chain: str,
    kind: str,
    fields: dict,
    at: datetime,
    subject_uuid: str | None = None,
    refuse_earlier: bool = True,
) -> Signed:
    """Sign `fields` as the next record of (register, chain). With `refuse_earlier`, a clock
    set back before the chain's last record raises ClockWentBack and nothing is written."""
    cursor = raw_cursor(session)
    when = nf525.moment(at)
    heads = {
        row["chain"]: row for row in cursor.execute(_heads_query(chain, refuse_earlier), (register_code,))
    }
    if refuse_earlier:
        for other in FLOORS.get(chain, ()):
            floor = heads.get(other)
            if floor is not None and when < floor["at"]:
                raise ClockWentBack(other, floor["at"])
    head = heads.get(chain)
    if head is not None:
        if refuse_earlier and when < head["at"]:
            raise ClockWentBack(chain, head["at"])
        number, previous = head["number"], head["signature"]
    else:
        start = cursor.execute(_START, (register_code, chain)).fetchone()
        number, previous = (start["number"], start["signature"]) if start else (0, "")
    key = box_key()
    record = {
        "register": register_code,
        "chain": chain,
        "number": number + 1,
        "kind": kind,
        "at": when,
        "uuid": subject_uuid,
        "key_id": key.key_id,
        "fields": fields,
        "previous": previous,
    }
    payload = nf525.canonical(record)
    signature = key.signer.sign(payload)
    cursor.execute(
        _INSERT,
        (
            register_code,
            chain,
            number + 1,
            kind,
            subject_uuid,
            when,
            key.key_id,
            payload.decode("utf-8"),
            signature,
            previous,
        ),
    )
    return Signed(chain, number + 1, signature)
