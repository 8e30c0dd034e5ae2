"""Per-register numbers without gaps: taken in the transaction that writes the document."""
from sqlalchemy import select

from app.models import Sequence


def next_number(session, register_code: str, name: str) -> int:
    seq = session.scalars(
        select(Sequence).where(Sequence.register_code == register_code, Sequence.name == name)
    ).one_or_none()
    if seq is None:
        seq = Sequence(register_code=register_code, name=name, last_value=0)
        session.add(seq)
    seq.last_value += 1
    return seq.last_value
