"""What the closing page shows: the day's figures, the notes and coins to count, who closes,
who is still connected, and whether the count is blind (the expected amounts stay hidden
until the counts are kept)."""

from dataclasses import dataclass

from sqlalchemy import select
from sqlalchemy.orm import Session

from app.models import Denomination, Register, Staff
from app.services.closing.closing_pass import ClosingPass
from app.services.closing.summary import DaySummary, summarise_day
from app.services.lifecycle import connected_sellers


def denominations(session: Session) -> list[int]:
    """The notes and coins the register counts, largest first, in cents."""
    return list(session.scalars(select(Denomination.value_cents).order_by(Denomination.value_cents.desc())))


@dataclass
class ClosingSheet:
    summary: DaySummary
    register: Register | None
    closer: Staff | None
    denominations: list[int]
    sellers: list
    typed: dict
    blind: bool

    @property
    def revealed(self) -> bool:
        """A blind count shows the expected amounts only once the counts are kept."""
        return (not self.blind) or bool(self.typed)


def closing_sheet(session: Session, open_day, closing_pass: ClosingPass) -> ClosingSheet:
    register = session.get(Register, open_day.register_code)
    return ClosingSheet(
        summary=summarise_day(session, open_day),
        register=register,
        closer=session.get(Staff, closing_pass.by),
        denominations=denominations(session),
        sellers=connected_sellers(session, open_day),
        typed=closing_pass.frozen_counts,
        blind=bool(register and register.blind_count),
    )
