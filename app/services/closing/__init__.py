"""Closing the register (docs/closing.md): the day's figures, the count, Valider la fermeture, the Z
report, and the cash movements of the day."""

from app.services.closing.closing import (
    ClosingRequest,
    FiguresChanged,
    TicketsInProgress,
    begin_closing,
    close_day,
    suggested_float,
)
from app.services.closing.closing_pass import ClosingPass
from app.services.closing.sheet import ClosingSheet, closing_sheet, denominations
from app.services.closing.summary import DaySummary, summarise_day
from app.services.closing.zreport import closed_day_report, closed_days, latest_z, reprint_z, z_payload
from app.services.counting import MethodCount

__all__ = [
    "ClosingPass",
    "ClosingRequest",
    "ClosingSheet",
    "DaySummary",
    "FiguresChanged",
    "MethodCount",
    "TicketsInProgress",
    "begin_closing",
    "close_day",
    "closing_sheet",
    "denominations",
    "closed_day_report",
    "closed_days",
    "latest_z",
    "reprint_z",
    "suggested_float",
    "summarise_day",
    "z_payload",
]
