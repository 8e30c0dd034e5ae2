"""Rapport périodique: the closed days of a date range. « Données contenues dans la mémoire
fiscale de la période »: the signed period records of those days (docs/integrity.md, « Period
records ») added up as they were signed, then the same figures as the Récapitulatif du point
de vente, for the whole range, with its charts."""

import json
from dataclasses import dataclass, field
from datetime import date

from sqlalchemy.orm import Session

from app.database import read_snapshot
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.services.reports.days import Month, ReportDay, check_range, days_between, month_of, presets, today
from app.services.reports.point_of_sale import Figures, figures_of
from app.services.reports.rows import fiscal_rows
from app.states import Right

_RECORDS = (
    "SELECT subject_uuid, number, payload FROM signed_record WHERE chain = ? AND kind = ?"
    " AND subject_uuid IN ({uuids}) ORDER BY number"
)


@dataclass
class FiscalTotals:
    """The signed day records of the period, added up."""

    days: int = 0
    ticket_count: int = 0
    sales_cents: int = 0
    returns_cents: int = 0
    total_cents: int = 0
    taxes: list = field(default_factory=list)  # [rate_bp, base, tax, total]
    perpetual_cents: int | None = None  # the last record's: the grand total at the period's end
    first_record: int | None = None
    last_record: int | None = None
    unsigned_days: int = 0  # closed before period records existed

    @property
    def rows(self) -> list:
        return fiscal_rows(self)


def fiscal_totals(cursor, days: list[ReportDay]) -> FiscalTotals:
    totals = FiscalTotals()
    if not days:
        return totals
    uuids = [d.uuid for d in days]
    rows = cursor.execute(
        _RECORDS.format(uuids=", ".join("?" * len(uuids))), ["period", "day", *uuids]
    ).fetchall()
    taxes: dict[int, list[int]] = {}
    for row in rows:
        fields = json.loads(row["payload"])["fields"]
        totals.days += 1
        totals.ticket_count += fields["ticket_count"]
        totals.sales_cents += fields["sales_cents"]
        totals.returns_cents += fields["returns_cents"]
        totals.total_cents += fields["total_cents"]
        for rate, base, tax, total in fields["taxes"]:
            line = taxes.setdefault(rate, [rate, 0, 0, 0])
            line[1] += base
            line[2] += tax
            line[3] += total
        totals.perpetual_cents = fields["perpetual_cents"]
        totals.first_record = totals.first_record or row["number"]
        totals.last_record = row["number"]
    totals.taxes = [taxes[rate] for rate in sorted(taxes)]
    totals.unsigned_days = len(days) - totals.days
    return totals


@dataclass
class PeriodicReport:
    first: date
    last: date
    days: list[ReportDay]
    fiscal: FiscalTotals
    figures: Figures


def periodic_report(
    session: Session, viewer, first: date | None, last: date | None, zone: str
) -> PeriodicReport:
    require_viewer(session, viewer, Right.CLOSE, "view_reports")
    first, last = check_range(first, last, zone)
    session.rollback()  # read from a snapshot: no lock held while the till sells
    with read_snapshot(session) as cursor:
        days = days_between(cursor, first, last, zone, closed_only=True)
        return PeriodicReport(
            first, last, days, fiscal_totals(cursor, days), figures_of(cursor, [d.id for d in days], zone)
        )


@dataclass
class PeriodicPage:
    """The Rapport périodique screen: the dates chosen, the calendar they are picked on, and
    the report — or, for dates that cannot make one, why (the form stays as chosen)."""

    first: date | None
    last: date | None
    picking: str  # which date the calendar sets next: "du" or "au"
    month: Month
    report: PeriodicReport | None = None
    error: str | None = None
    presets: list = field(default_factory=list)


def periodic_page(
    session: Session,
    viewer,
    first: date | None,
    last: date | None,
    picking: str,
    shown: date | None,
    zone: str,
) -> PeriodicPage:
    require_viewer(session, viewer, Right.CLOSE, "view_reports")
    if first is None and last is None:  # the month so far, until dates are chosen
        last = today(zone)
        first = last.replace(day=1)
    picking = "au" if picking == "au" else "du"
    report = error = None
    try:
        report = periodic_report(session, viewer, first, last, zone)
    except InvalidInput as refused:
        error = str(refused)
    shown = shown or (last if picking == "au" else first) or today(zone)
    session.rollback()
    with read_snapshot(session) as cursor:
        month = month_of(cursor, shown, zone)
    return PeriodicPage(first, last, picking, month, report, error, presets(zone))
