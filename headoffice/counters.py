"""Counters that move in commit order: the catalogue version and the order batches were received.

`next_value` raises the counter with one UPDATE in the caller's transaction. The row stays
locked until that transaction ends (PostgreSQL row lock; SQLite's single writer), so a
second transaction waits for the first to commit before it gets the next value: values are
handed out in the order transactions commit. Callers therefore raise a counter as the last
thing before committing, to hold the lock for as short as possible.
"""

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from headoffice.models import Counter

CATALOG = "catalog"
EXPORT = "export"


def next_value(session: Session, name: str, *, start=None) -> int:
    """The counter's next value (the first is 1, or what `start` returns plus one)."""
    value = session.scalar(
        update(Counter).where(Counter.name == name).values(value=Counter.value + 1).returning(Counter.value)
    )
    if value is not None:
        return value
    # First use: created here. Two first uses at once collide on the primary key; the
    # loser's transaction fails and is rolled back, as any other write race is.
    value = (start(session) if start is not None else 0) + 1
    session.add(Counter(name=name, value=value))
    session.flush()
    return value


def current_value(session: Session, name: str) -> int:
    return session.scalar(select(func.coalesce(func.max(Counter.value), 0)).where(Counter.name == name))
