"""Per-register numbers without gaps: taken in the transaction that writes the document (a
rolled-back document gives its number back). One statement, an upsert that returns the new
value, because Valider takes one on every sale."""
from sqlalchemy import bindparam
from sqlalchemy.dialects.sqlite import insert

from app.models import Sequence


_NEXT = (insert(Sequence).values(register_code=bindparam("register"), name=bindparam("name"), last_value=1)
         .on_conflict_do_update(index_elements=[Sequence.register_code, Sequence.name],
                                set_={"last_value": Sequence.last_value + 1})
         .returning(Sequence.last_value))


def next_number(session, register_code: str, name: str) -> int:
    return session.execute(_NEXT, {"register": register_code, "name": name}).scalar_one()
