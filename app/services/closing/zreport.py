"""The Z report (Rapport de 24h): built from the closed day's documents, the same data for
the screen preview and the printer, reprinted as DUPLICATA n°k."""

import json
from zoneinfo import ZoneInfo

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select
from sqlalchemy.orm import Session

import nf525
from app.devices.queue import enqueue
from app.devices.render import render_text
from app.models import (
    Box,
    CashMovement,
    ClosingLine,
    OpeningLine,
    PrintJob,
    RegisterDay,
    Shop,
    SignedRecord,
    utcnow,
)
from app.money import format_euros
from app.services.errors import StateForbids
from app.services.people import require_viewer
from app.services.printing import reprint
from app.services.scheduled import SYSTEM
from app.states import CardTransactionStatus, CashMovementKind, DayState, PrintJobKind, Right

_CARD_ROWS = (
    (CardTransactionStatus.PAYMENT_CANCEL, "Paiements annulés", -1),
    (CardTransactionStatus.REFUND, "Remboursements manuels", -1),
    (CardTransactionStatus.REFUND_CANCEL, "Remboursements annulés", 1),
)


def _when(moment, zone) -> str:
    return moment.astimezone(ZoneInfo(zone)).strftime("%d/%m/%Y %H:%M:%S") if moment else ""


def _percent(rate_bp: int) -> str:
    return f"{rate_bp / 100:g} %".replace(".", ",")


def z_payload(session: Session, day: RegisterDay, summary=None, periods=None) -> dict:
    """`summary`: the day's full figures when the caller has them already (Valider);
    `periods`: the period records Valider just signed (else read from the chain)."""
    from app.services.closing.summary import summarise_day

    box = session.get(Box, 1)
    shop = session.get(Shop, box.shop_code) if box and box.shop_code else None
    zone = shop.timezone if shop else "Europe/Paris"
    summary = summary or summarise_day(session, day, full=True)
    record = _day_record(session, day, periods)
    lines = {
        line.method_code: line
        for line in session.scalars(select(ClosingLine).where(ClosingLine.day_id == day.id))
    }
    movements = session.execute(
        select(
            CashMovement.kind,
            CashMovement.closing_withdrawal,
            func.count(),
            func.sum(CashMovement.amount_cents),
        )
        .where(CashMovement.day_id == day.id, CashMovement.closing_difference.is_(False))
        .group_by(CashMovement.kind, CashMovement.closing_withdrawal)
    ).all()
    # The DC/RC of the closing's differences are in « Caisse » (each method's écart), not here.
    opening = list(
        session.scalars(
            select(OpeningLine).where(OpeningLine.day_id == day.id).order_by(OpeningLine.method_code)
        )
    )
    money = format_euros
    sections = [
        {
            "title": "Journée",
            "rows": [
                ["Ouverte le", _when(day.opened_at, zone)],
                ["Par", day.opened_by_name],
                ["Fonds de caisse", money(day.opening_float_cents)],
            ]
            # What the opening count found beside each method's balance, kept apart from the float.
            + [
                [f"Écart à l'ouverture {line.method_name}", money(line.difference_cents)]
                for line in opening
                if line.difference_cents
            ]
            + [
                ["Fermée le", _when(day.closed_at, zone)],
                ["Par", day.closed_by_name or ""],
            ]
            + ([["Fermeture forcée", "oui"]] if day.forced else [])
            # « Clôture automatique de la journée »: nobody counted (docs/closing.md).
            + ([["Clôture automatique", "non comptée"]] if day.closed_by_code == SYSTEM.code else []),
        },
        {
            "title": "Ventes",
            "rows": [
                ["Nombre de tickets", str(summary.ticket_count)],
                [f"Ventes ({summary.sales_count})", money(summary.sales_cents)],
                [f"Retours ({summary.returns_count})", money(summary.returns_cents)],
                [f"Annulations ({summary.cancelled_count})", money(summary.cancelled_cents)],
                ["Remises accordées", money(summary.discounts_cents)],
                ["Total net", money(summary.net_cents)],
            ],
        },
        {
            "title": "Paiements",
            "rows": [
                [f"{m.name} ({m.payment_count})", money(m.payments_cents)]
                for m in summary.methods
                if m.payment_count
            ],
        },
        {
            # Liste des transactions: what the card terminal gave back, so the card total the
            # bank pays reads here (docs/card-transactions.md).
            "title": "Transactions carte",
            "rows": [
                [f"{title} ({summary.card[status][0]})", money(sign * summary.card[status][1])]
                for status, title, sign in _CARD_ROWS
                if status in summary.card
            ]
            + [
                [f"{m.name} net", money(m.payments_cents + m.card_cents)]
                for m in summary.methods
                if m.card_cents
            ],
        },
        {
            "title": "TVA",
            "rows": [
                row
                for t in summary.vat
                for row in (
                    [f"{_percent(t['rate_bp'])} HT", money(t["base_cents"])],
                    [f"{_percent(t['rate_bp'])} TVA", money(t["tax_cents"])],
                    [f"{_percent(t['rate_bp'])} TTC", money(t["total_cents"])],
                )
            ],
        },
        {
            "title": "Mouvements d'espèces",
            "rows": [
                [
                    (
                        "Retrait à la clôture"
                        if withdrawal
                        else ("Entrées" if kind == CashMovementKind.IN else "Sorties")
                    )
                    + f" ({count})",
                    money(total),
                ]
                for kind, withdrawal, count, total in sorted(movements)
            ],
        },
        {
            "title": "Caisse",
            "rows": [
                row
                for code, line in sorted(lines.items())
                for row in (
                    [[f"{line.method_name} attendu", money(line.expected_cents)]]
                    + (
                        [
                            [f"{line.method_name} compté", money(line.counted_cents)],
                            [f"{line.method_name} écart", money(line.difference_cents or 0)],
                        ]
                        if line.counted_cents is not None
                        else []
                    )
                    + (
                        [
                            [f"{line.method_name} retrait", money(line.withdrawal_cents)],
                            [f"{line.method_name} restant", money(line.remaining_cents or 0)],
                        ]
                        if line.withdrawal_cents  # the cash's are the « Retrait » below
                        and not (summary.cash and code == summary.cash.code)
                        else []
                    )
                )
            ]
            + [
                ["Retrait", money(day.withdrawal_cents)],
                [
                    "Fonds restant",
                    money(_remaining(day, lines.get(summary.cash.code) if summary.cash else None)),
                ],
            ],
        },
    ] + _period_sections(day, record)
    reasons = sorted(
        {line.difference_reason for line in [*lines.values(), *opening] if line.difference_reason}
    )
    return {
        "title": "RAPPORT DE 24H (Z)",
        "document_number": day.number,
        "subtitle_lines": [
            shop.name if shop else "",
            shop.address if shop else "",
            f"Caisse {day.register_code} — Journée n° {day.number}",
        ],
        "terminal": box.terminal if box else "",
        "device_name": box.device_name if box else "",
        "register_code": day.register_code,
        "timezone": zone,
        "printed_at": utcnow().strftime("%Y-%m-%dT%H:%M:%SZ"),
        "sections": [s for s in sections if s["rows"]],
        "period": _period_summary(record),
        "footer_lines": [f"Motif de l'écart : {r}" for r in reasons] + [f"Journée {day.uuid}"],
    }


def _day_record(session: Session, day: RegisterDay, periods):
    """(fields, number, extract, [closed month/year]) of the day's period record: the one
    Valider just signed, else read from the chain; None for a day closed before them."""
    if periods is not None:
        return (
            periods.fields,
            periods.signed.number,
            periods.signed.extract,
            [(kind, f, s.number, s.extract) for kind, f, s in periods.closed],
        )
    row = session.execute(
        select(SignedRecord).where(
            SignedRecord.chain == "period", SignedRecord.kind == "day", SignedRecord.subject_uuid == day.uuid
        )
    ).scalar_one_or_none()
    if row is None:
        return None
    return json.loads(row.payload)["fields"], row.number, nf525.extract(row.signature), []


def _period_sections(day: RegisterDay, record) -> list[dict]:
    """The signed period totals the Z prints: the day's, the month's and the year's when
    they closed with it, and the perpetual grand totals (which never reset)."""
    money = format_euros
    if record is None:  # a day closed before period records existed
        return [
            {"title": "Totaux perpétuels", "rows": [["Grand total caisse", money(day.grand_total_cents)]]}
        ]
    fields, number, extract, closed = record
    sections = []
    for kind, f, n, sig in closed:
        title = "Clôture du mois" if kind == "month" else "Clôture de l'exercice"
        sections.append(
            {
                "title": f"{title} du {_date(f['from'])} au {_date(f['to'])}",
                "rows": [
                    ["Journées", str(f["days"])],
                    ["Nombre de tickets", str(f["ticket_count"])],
                    ["Total de la période", money(f["total_cents"])],
                    *[[f"{_percent(t[0])} TTC", money(t[3])] for t in f["taxes"]],
                    ["Enregistrement", f"n° {n} - signature {sig}"],
                ],
            }
        )
    sections.append(
        {
            "title": "Totaux de la période (journée)",
            "rows": [
                ["Total de la journée", money(fields["total_cents"])],
                *[[f"{_percent(t[0])} TTC", money(t[3])] for t in fields["taxes"]],
                ["Enregistrement", f"n° {number} - signature {extract}"],
            ],
        }
    )
    sections.append(
        {
            "title": "Totaux perpétuels",
            "rows": [
                ["Grand total perpétuel", money(fields["perpetual_cents"])],
                ["Grand total perpétuel (valeurs absolues)", money(fields["perpetual_abs_cents"])],
            ],
        }
    )
    return sections


def _period_summary(record) -> dict | None:
    """The day's period record as the Z carries it for a program (the sections are for people)."""
    if record is None:
        return None
    fields, number, extract, _closed = record
    return {
        "number": number,
        "signature_extract": extract,
        "total_cents": fields["total_cents"],
        "perpetual_cents": fields["perpetual_cents"],
        "perpetual_abs_cents": fields["perpetual_abs_cents"],
    }


def _date(iso: str) -> str:
    return "/".join(reversed(iso.split("-")))


def _remaining(day, cash) -> int:
    if cash is None:
        return 0
    present = cash.counted_cents if cash.counted_cents is not None else cash.expected_cents
    return present - day.withdrawal_cents


def queue_z_report(session: Session, day: RegisterDay, summary=None, periods=None) -> PrintJob:
    return enqueue(
        session,
        PrintJobKind.Z_REPORT,
        z_payload(session, day, summary, periods),
        idempotency_key=f"day:{day.uuid}:z",
        document_uuid=day.uuid,
    )


def reprint_z(session: Session, day_uuid: str, person_code: str, password: str) -> PrintJob:
    """Réimprimer from the list of closed days: the device layer's reprint, DUPLICATA n°k."""
    day = session.scalars(select(RegisterDay).where(RegisterDay.uuid == (day_uuid or ""))).first()
    if day is None or day.state != DayState.CLOSED:
        raise StateForbids(_l("Cette journée n'est pas fermée."))
    return reprint(session, day.uuid, person_code, password)


def closed_days(session: Session, viewer, limit: int = 60) -> list[RegisterDay]:
    """Journées fermées: the last closed days with their totals, for a person who closes."""
    require_viewer(session, viewer, Right.CLOSE, "view_closed_days")
    return list(
        session.scalars(
            select(RegisterDay)
            .where(RegisterDay.state == DayState.CLOSED)
            .order_by(RegisterDay.id.desc())
            .limit(limit)
        )
    )


def closed_day_report(session: Session, day_uuid: str, viewer) -> tuple[RegisterDay, str, int] | None:
    """A closed day, its Z as it prints (text, the same as the paper) and how many times it
    was printed; None if there is no such closed day."""
    require_viewer(session, viewer, Right.CLOSE, "view_closed_days")
    day = session.scalars(select(RegisterDay).where(RegisterDay.uuid == day_uuid)).first()
    if day is None or day.state != DayState.CLOSED:
        return None
    z = latest_z(session, day)
    copies = (
        session.scalar(
            select(func.count())
            .select_from(PrintJob)
            .where(PrintJob.kind == PrintJobKind.Z_REPORT, PrintJob.document_uuid == day.uuid)
        )
        or 0
    )
    return day, (render_text(PrintJobKind.Z_REPORT, z[0]) if z else ""), copies


def latest_z(session: Session, day: RegisterDay) -> tuple[dict, int] | None:
    job = session.scalars(
        select(PrintJob)
        .where(PrintJob.kind == PrintJobKind.Z_REPORT, PrintJob.document_uuid == day.uuid)
        .order_by(PrintJob.id)
    ).first()
    return (json.loads(job.payload), job.copy_number) if job else None
