"""Récapitulatif du point de vente: one register day's figures in the manual's four tabs
(Paiements en espèces, Récapitulatif du fonds de caisse, Récapitulatif de ventes, Ventes par
catégorie) and its two charts. The date defaults to today; a date that held several days
(closed and opened again) lists them, and the latest is shown until another is chosen."""

from dataclasses import dataclass
from datetime import date
from functools import cached_property

from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.database import read_snapshot
from app.services.errors import InvalidInput
from app.services.people import require_viewer
from app.services.reports import charts, rows
from app.services.reports.days import Month, ReportDay, days_between, month_of, today
from app.services.reports.figures import (
    CashFigures,
    CategoryFigures,
    MethodFigures,
    SalesFigures,
    cash_figures,
    category_figures,
    hourly_sales,
    line_rows,
    method_figures,
    sales_figures,
    ticket_rows,
)
from app.states import Right


@dataclass
class Figures:
    """What both reports show of a set of days."""

    methods: list[MethodFigures]
    sales: SalesFigures
    categories: list[CategoryFigures]
    hours: dict

    @property
    def sales_rows(self) -> list:
        return rows.sales_rows(self.sales)

    @property
    def method_rows(self) -> list:
        return [(method, rows.method_row(method)) for method in self.methods]

    @cached_property
    def charts(self) -> list:
        count = _l("tickets")
        return [
            charts.hours_chart(self.hours, _l("Ventes par heure"), count),
            charts.methods_chart(self.methods, _l("Ventes par mode de paiement"), _l("paiements")),
        ]


def figures_of(cursor, day_ids, zone: str) -> Figures:
    methods = method_figures(cursor, day_ids)
    tickets, lines = ticket_rows(cursor, day_ids), line_rows(cursor, day_ids)
    return Figures(
        methods, sales_figures(tickets, lines, methods), category_figures(lines), hourly_sales(tickets, zone)
    )


@dataclass
class PointOfSale:
    chosen: date
    days: list[ReportDay]  # every day opened on that date
    day: ReportDay | None  # the one shown
    cash: CashFigures | None
    figures: Figures | None
    month: Month

    @property
    def cash_rows(self) -> list:
        return rows.cash_rows(self.cash) if self.cash else []


def point_of_sale_summary(
    session: Session,
    viewer,
    chosen: date | None,
    day_uuid: str | None,
    zone: str,
    shown_month: date | None = None,
) -> PointOfSale:
    require_viewer(session, viewer, Right.CLOSE, "view_reports")
    chosen = chosen or today(zone)
    if chosen > today(zone):
        raise InvalidInput(
            _l("Le %(day)s n'est pas encore arrivé : choisissez une date passée."),
            day=chosen.strftime("%d/%m/%Y"),
        )
    session.rollback()  # read from a snapshot: no lock held while the till sells
    with read_snapshot(session) as cursor:
        days = days_between(cursor, chosen, chosen, zone)
        day = days[-1] if days else None
        if day_uuid:
            day = next((d for d in days if d.uuid == day_uuid), None)
            if day is None:
                raise InvalidInput(
                    _l("Cette journée n'a pas été ouverte le %(day)s : choisissez-en une dans la liste."),
                    day=chosen.strftime("%d/%m/%Y"),
                )
        figures = cash = None
        if day is not None:
            figures = figures_of(cursor, [day.id], zone)
            cash = cash_figures(cursor, day, figures.methods)
        month = month_of(cursor, shown_month or chosen, zone)
    return PointOfSale(chosen, days, day, cash, figures, month)
