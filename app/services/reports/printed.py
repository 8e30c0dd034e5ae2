"""Printing the reports through the device layer: the same rows as the screen, in French
(a shop's paper is French whatever the screen's language), in the generic report layout.
The page is drawn with a token; Imprimer queues one job per token, so a double tap prints once."""

import re
from datetime import date

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy.orm import Session

from app.devices.queue import enqueue
from app.models import Box, PrintJob, new_uuid, utcnow
from app.money import format_euros
from app.services.errors import StateForbids
from app.services.reports.periodic import periodic_report
from app.services.reports.point_of_sale import Figures, point_of_sale_summary
from app.services.reports.rows import (
    FONDS_COLUMNS,
    FONDS_OPTIONAL_COLUMNS,
    cash_rows,
    fiscal_rows,
    method_row,
    sales_rows,
)
from app.states import PrintJobKind

_TOKEN = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


def print_token() -> str:
    """Drawn with the page: the print job's key."""
    return new_uuid()


def _text(rows) -> list[list[str]]:
    return [[str(label), value] for label, value in rows]


def _figure_sections(figures: Figures) -> list[dict]:
    names = [str(c) for c in FONDS_COLUMNS + FONDS_OPTIONAL_COLUMNS]
    sections = [{"title": "Récapitulatif de ventes", "rows": _text(sales_rows(figures.sales))}]
    for method in figures.methods:
        sections.append(
            {
                "title": f"Fonds de caisse — {method.name}",
                "rows": [[name, value] for name, value in zip(names, method_row(method))],
            }
        )
    sections.append(
        {
            "title": "Ventes par catégorie",
            "rows": [[c.name, format_euros(c.total_cents)] for c in figures.categories],
        }
    )
    return sections


def _payload(session: Session, title: str, subtitle: list[str], sections: list[dict], zone: str) -> dict:
    box = session.get(Box, 1)
    return {
        "title": title,
        "subtitle_lines": subtitle,
        "terminal": box.terminal if box else "",
        "device_name": box.device_name if box else "",
        "register_code": box.register_code if box else "",
        "timezone": zone,
        "printed_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sections": [s for s in sections if s["rows"]],
        "footer_lines": [],
    }


def _queue(session: Session, payload: dict, token: str) -> PrintJob:
    if not _TOKEN.fullmatch(token or ""):
        raise StateForbids(_l("Cette page a expiré : ouvrez le rapport à nouveau puis « Imprimer »."))
    job = enqueue(session, PrintJobKind.REPORT, payload, idempotency_key=f"report:{token}")
    session.commit()
    return job


def print_point_of_sale(
    session: Session, viewer, chosen: date | None, day_uuid: str | None, zone: str, token: str
) -> PrintJob:
    summary = point_of_sale_summary(session, viewer, chosen, day_uuid, zone)
    if summary.day is None:
        raise StateForbids(_l("Aucune journée ce jour-là : rien à imprimer."))
    day = summary.day
    with force_locale("fr"):
        sections = [{"title": "Paiements en espèces", "rows": _text(cash_rows(summary.cash))}]
        sections += _figure_sections(summary.figures)
        # The title prints double width: 24 columns at most on 80 mm paper.
        subtitle = [
            "du point de vente",
            f"Date : {summary.chosen:%d/%m/%Y}",
            f"Caisse {day.register_code} — Journée n° {day.number}" + ("" if day.closed else " (ouverte)"),
        ]
    return _queue(session, _payload(session, "RÉCAPITULATIF", subtitle, sections, zone), token)


def print_periodic_report(
    session: Session, viewer, first: date | None, last: date | None, zone: str, token: str
) -> PrintJob:
    report = periodic_report(session, viewer, first, last, zone)
    with force_locale("fr"):
        sections = [{"title": "Mémoire fiscale de la période", "rows": _text(fiscal_rows(report.fiscal))}]
        sections += _figure_sections(report.figures)
        subtitle = [f"Du {report.first:%d/%m/%Y} au {report.last:%d/%m/%Y}"]
        if report.fiscal.first_record is not None:
            subtitle.append(f"Enregistrements n° {report.fiscal.first_record} à {report.fiscal.last_record}")
    return _queue(session, _payload(session, "RAPPORT PÉRIODIQUE", subtitle, sections, zone), token)
