"""Period totals (docs/integrity.md « Period records »): at each closing, a signed record of
the day — totals per VAT rate, the day's total, and the perpetual grand totals that never
reset — and, when the day is the first of a new month or of a new fiscal year, a record of
the month or the year that ended, in the closing's own transaction.

The day's figures are the Z's (summarise_day: finished sales and returns of the day; a
training ticket is never in them). A month or a year adds up the day records it holds, as
they were signed. The perpetual totals continue from the last period record, or on a new
box from where head office says the register stood (chain_start)."""

import calendar
import json
from dataclasses import dataclass
from datetime import date, datetime
from zoneinfo import ZoneInfo

from sqlalchemy.orm import Session

import nf525
from app.database import raw_cursor
from app.integrity.chain import Signed
from app.models import Box, RegisterDay, Shop
from app.services.closing.summary import DaySummary
from app.services.journal import record
from app.services.signing import sign
from app.states import DayState, TicketStatus

DEFAULT_YEAR_END = "12-31"
_LAST = (
    "SELECT number, kind, payload FROM signed_record WHERE register_code = ? AND chain = 'period'"
    " ORDER BY number DESC LIMIT 1"
)
_LAST_OF = (
    "SELECT number FROM signed_record WHERE register_code = ? AND chain = 'period' AND kind = ?"
    " ORDER BY number DESC LIMIT 1"
)
_DAYS_SINCE = (
    "SELECT payload FROM signed_record WHERE register_code = ? AND chain = 'period'"
    " AND kind = ? AND number > ? ORDER BY number"
)
_BEFORE_SIGNING = (
    f"SELECT (SELECT grand_total_cents FROM register_day WHERE register_code = ? AND state = '{DayState.CLOSED}'"
    "  ORDER BY number DESC LIMIT 1) AS perpetual,"
    " (SELECT sum(abs(t.total_cents)) FROM ticket t JOIN register_day d ON d.id = t.day_id"
    f"  WHERE d.register_code = ? AND d.state = '{DayState.CLOSED}' AND t.status = '{TicketStatus.FINISHED}'"
    "  AND NOT t.training) AS perpetual_abs"
)
_START = (
    "SELECT perpetual_cents, perpetual_abs_cents FROM chain_start"
    " WHERE register_code = ? AND chain = 'period'"
)


@dataclass(frozen=True)
class PeriodTotals:
    """What the Z prints of the period chain."""

    fields: dict
    signed: Signed
    closed: list  # the month and year records signed with it: (kind, fields, Signed)


def fiscal_year_of(day: date, year_end: str | None) -> tuple[date, date]:
    """The fiscal year holding `day`, as (first day, last day); `year_end` is "MM-DD" (the
    shop's setting from head office, 31 December by default)."""
    month, last = (int(part) for part in (year_end or DEFAULT_YEAR_END).split("-"))

    def end_in(year):
        return date(year, month, min(last, calendar.monthrange(year, month)[1]))

    end = end_in(day.year) if day <= end_in(day.year) else end_in(day.year + 1)
    previous = end_in(end.year - 1)
    return date.fromordinal(previous.toordinal() + 1), end


def close_periods(
    session: Session, day: RegisterDay, summary: DaySummary, now: datetime, staff=None
) -> PeriodTotals:
    """Sign the day's period record (after the month's and the year's when they end)."""
    cursor = raw_cursor(session)
    register_code = day.register_code
    shop = _shop(session)
    business_day = day.opened_at.astimezone(ZoneInfo(shop.timezone if shop else "Europe/Paris")).date()
    year_end = getattr(shop, "fiscal_year_end", None) or DEFAULT_YEAR_END
    last = cursor.execute(_LAST, (register_code,)).fetchone()
    last_fields = json.loads(last["payload"])["fields"] if last else None
    closed = []
    if last_fields is not None:
        before = date.fromisoformat(last_fields["to"])
        if last["kind"] == "day" and (before.year, before.month) != (business_day.year, business_day.month):
            first = before.replace(day=1)
            closed.append(
                ("month", first, before.replace(day=calendar.monthrange(before.year, before.month)[1]))
            )
        year = fiscal_year_of(before, year_end)
        if last["kind"] in ("day", "month") and year != fiscal_year_of(business_day, year_end):
            closed.append(("year", *year))
    signed_before = []
    for kind, first, end in closed:
        fields = _sum_of_days(cursor, register_code, kind, first, end)
        signed_before.append((kind, fields, sign(session, register_code, "period", kind, fields, now)))
        record(
            session,
            f"close_{kind}",
            actor=staff,
            register_code=register_code,
            subject_uuid=day.uuid,
            period_from=first.isoformat(),
            period_to=end.isoformat(),
            total_cents=fields["total_cents"],
        )
    perpetual, perpetual_abs = _perpetual(cursor, register_code, last_fields)
    absolute = summary.sales_cents + abs(summary.returns_cents)
    fields = nf525.period_fields(
        {
            "period": "day",
            "from": business_day.isoformat(),
            "to": business_day.isoformat(),
            "day_number": day.number,
            "day_uuid": day.uuid,
            "opened_at": day.opened_at,
            "closed_at": now,
            "days": 1,
            "ticket_count": summary.ticket_count,
            "sales_cents": summary.sales_cents,
            "returns_cents": summary.returns_cents,
            "total_cents": summary.net_cents,
            "taxes": [[t["rate_bp"], t["base_cents"], t["tax_cents"], t["total_cents"]] for t in summary.vat],
            "perpetual_cents": perpetual + summary.net_cents,
            "perpetual_abs_cents": perpetual_abs + absolute,
        }
    )
    signed = sign(session, register_code, "period", "day", fields, now, day.uuid)
    return PeriodTotals(fields, signed, signed_before)


def _shop(session: Session) -> Shop | None:
    box = session.get(Box, 1)
    return session.get(Shop, box.shop_code) if box and box.shop_code else None


def _perpetual(cursor, register_code: str, last_fields: dict | None) -> tuple[int, int]:
    """Where the perpetual totals stand before this closing: the last period record's; on a
    box without one, head office's figures (a replacement box), else what the days closed
    before period records existed add up to (an upgraded box: totals never reset)."""
    if last_fields is not None:
        return last_fields["perpetual_cents"], last_fields["perpetual_abs_cents"]
    start = cursor.execute(_START, (register_code,)).fetchone()
    if start is not None:
        return start["perpetual_cents"], start["perpetual_abs_cents"]
    before = cursor.execute(_BEFORE_SIGNING, (register_code, register_code)).fetchone()
    return before["perpetual"] or 0, before["perpetual_abs"] or 0


def _sum_of_days(cursor, register_code: str, kind: str, first: date, end: date) -> dict:
    """A month or a fiscal year: the day records signed since the last record of that kind,
    added up as signed (the perpetual totals are the last day's)."""
    since = cursor.execute(_LAST_OF, (register_code, kind)).fetchone()
    days = [
        json.loads(row["payload"])["fields"]
        for row in cursor.execute(
            _DAYS_SINCE, (register_code, "day", since["number"] if since else 0)
        ).fetchall()
    ]
    days = [d for d in days if first.isoformat() <= d["from"] <= end.isoformat()]
    taxes: dict[int, list[int]] = {}
    for d in days:
        for rate, base, tax, total in d["taxes"]:
            row = taxes.setdefault(rate, [rate, 0, 0, 0])
            row[1] += base
            row[2] += tax
            row[3] += total
    last = days[-1] if days else {"perpetual_cents": 0, "perpetual_abs_cents": 0}
    return nf525.period_fields(
        {
            "period": kind,
            "from": first.isoformat(),
            "to": end.isoformat(),
            "days": len(days),
            "ticket_count": sum(d["ticket_count"] for d in days),
            "sales_cents": sum(d["sales_cents"] for d in days),
            "returns_cents": sum(d["returns_cents"] for d in days),
            "total_cents": sum(d["total_cents"] for d in days),
            "taxes": list(taxes.values()),
            "perpetual_cents": last["perpetual_cents"],
            "perpetual_abs_cents": last["perpetual_abs_cents"],
        }
    )
