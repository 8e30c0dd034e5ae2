"""Which register days a report covers. A day belongs to the shop date it was opened on (in
the shop's time zone), as the Z and the period records date it; a date can hold several days
when the register was closed and opened again."""

import calendar
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta, timezone
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l

from app.database import from_sql_time, sql_time
from app.services.errors import InvalidInput
from app.states import DayState

# A periodic report reads every ticket of its days: a year at most keeps it to one screen and
# a few hundred milliseconds on the box.
MAX_RANGE_DAYS = 366

_DAYS = (
    "SELECT id, uuid, register_code, number, state, opened_at, closed_at, opening_float_cents"
    " FROM register_day WHERE opened_at >= ? AND opened_at < ?{closed} ORDER BY opened_at, id"
)


@dataclass(frozen=True)
class ReportDay:
    id: int
    uuid: str
    register_code: str
    number: int
    state: str
    opened_at: datetime
    closed_at: datetime | None
    opening_float_cents: int

    @property
    def closed(self) -> bool:
        return self.state == DayState.CLOSED


def bounds(first: date, last: date, zone: str) -> tuple[str, str]:
    """From the start of `first` to the end of `last`, shop time, as stored (UTC text)."""
    start = datetime.combine(first, time(0), ZoneInfo(zone))
    end = datetime.combine(last + timedelta(days=1), time(0), ZoneInfo(zone))
    return sql_time(start), sql_time(end)


def days_between(cursor, first: date, last: date, zone: str, *, closed_only: bool = False) -> list[ReportDay]:
    closed = f" AND state = '{DayState.CLOSED}'" if closed_only else ""
    return [
        ReportDay(
            row["id"],
            row["uuid"],
            row["register_code"],
            row["number"],
            row["state"],
            from_sql_time(row["opened_at"]),
            from_sql_time(row["closed_at"]),
            row["opening_float_cents"],
        )
        for row in cursor.execute(_DAYS.format(closed=closed), bounds(first, last, zone)).fetchall()
    ]


def shop_date(moment: datetime, zone: str) -> date:
    return moment.astimezone(ZoneInfo(zone)).date()


def today(zone: str) -> date:
    return datetime.now(timezone.utc).astimezone(ZoneInfo(zone)).date()


def check_range(first: date | None, last: date | None, zone: str) -> tuple[date, date]:
    """The dates of a periodic report as typed: both given, in order, not in the future, at
    most MAX_RANGE_DAYS days."""
    if first is None or last is None:
        raise InvalidInput(_l("Choisissez la date de début et la date de fin de la période."))
    if last < first:
        raise InvalidInput(
            _l("La date de fin (%(last)s) est avant la date de début (%(first)s)."),
            first=first.strftime("%d/%m/%Y"),
            last=last.strftime("%d/%m/%Y"),
        )
    if first > today(zone):
        raise InvalidInput(_l("La période commence après aujourd'hui."))
    if (last - first).days + 1 > MAX_RANGE_DAYS:
        raise InvalidInput(
            _l("La période dépasse %(days)s jours : choisissez une période plus courte."),
            days=MAX_RANGE_DAYS,
        )
    return first, last


@dataclass(frozen=True)
class Month:
    """A month of the touch calendar: weeks of dates (Monday first, the days of the months
    either side included), the dates that had a register day, and the months either side."""

    first: date
    weeks: list
    with_days: frozenset
    previous: date
    next: date | None
    today: date


def month_of(cursor, shown: date, zone: str) -> Month:
    first = shown.replace(day=1)
    last = first.replace(day=calendar.monthrange(first.year, first.month)[1])
    with_days = frozenset(shop_date(d.opened_at, zone) for d in days_between(cursor, first, last, zone))
    weeks = calendar.Calendar().monthdatescalendar(first.year, first.month)
    following = last + timedelta(days=1)
    return Month(
        first,
        weeks,
        with_days,
        (first - timedelta(days=1)).replace(day=1),
        following if following <= today(zone) else None,
        today(zone),
    )


def presets(zone: str) -> list[tuple]:
    """The periodic report's usual periods, one tap each: (label, first, last)."""
    now = today(zone)
    this_month = now.replace(day=1)
    last_month_end = this_month - timedelta(days=1)
    return [
        (_l("Ce mois-ci"), this_month, now),
        (_l("Le mois dernier"), last_month_end.replace(day=1), last_month_end),
        (_l("7 derniers jours"), now - timedelta(days=6), now),
        (_l("30 derniers jours"), now - timedelta(days=29), now),
    ]
