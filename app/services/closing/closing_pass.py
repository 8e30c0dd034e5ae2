"""The closing pass: « Fermer la caisse » with a manager's code opens the closing page for
ten minutes, for that day only. A blind count, once the expected amounts were shown beside
it, is frozen: Valider uses the counts kept here, not what the form sends again.

The screen keeps the pass in its session cookie (`stored()`); the rule is here."""

from dataclasses import asdict, dataclass
from datetime import datetime, timedelta, timezone

CLOSING_MINUTES = 10


@dataclass(frozen=True)
class ClosingPass:
    by: str  # the manager's code
    day: str  # the open day's uuid
    at: str  # when the page was opened, UTC, ISO 8601
    typed: dict | None = None  # a blind count, frozen once the expected amounts were shown

    SESSION_KEY = "closing"

    @classmethod
    def opened(cls, staff, day) -> "ClosingPass":
        return cls(by=staff.code, day=day.uuid, at=datetime.now(timezone.utc).isoformat())

    @classmethod
    def still_valid(cls, stored, open_day) -> "ClosingPass | None":
        """The pass kept by the screen, if it was for this open day and is still fresh."""
        if not isinstance(stored, dict) or open_day is None or stored.get("day") != open_day.uuid:
            return None
        found = cls(by=stored["by"], day=stored["day"], at=stored["at"], typed=stored.get("typed"))
        if datetime.now(timezone.utc) - datetime.fromisoformat(found.at) > timedelta(minutes=CLOSING_MINUTES):
            return None
        return found

    def with_counts(self, typed: dict) -> "ClosingPass":
        """The blind count is kept: the expected amounts may now be shown."""
        return ClosingPass(self.by, self.day, self.at, typed)

    @property
    def frozen_counts(self) -> dict:
        return self.typed or {}

    def stored(self) -> dict:
        return asdict(self)
