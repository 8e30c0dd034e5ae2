"""Rapports de caisse (docs/reports.md): the Rapport périodique, the Récapitulatif du point
de vente and their charts; the Z of a closed day is app/services/closing/zreport.py."""

from app.services.reports.days import MAX_RANGE_DAYS
from app.services.reports.periodic import periodic_page, periodic_report
from app.services.reports.point_of_sale import point_of_sale_summary
from app.services.reports.printed import print_periodic_report, print_point_of_sale, print_token

__all__ = [
    "MAX_RANGE_DAYS",
    "periodic_page",
    "periodic_report",
    "point_of_sale_summary",
    "print_periodic_report",
    "print_point_of_sale",
    "print_token",
]
