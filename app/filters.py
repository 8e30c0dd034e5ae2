"""Jinja filters: money and times are formatted only here, at display."""
from zoneinfo import ZoneInfo

from app.services.money import format_euros


def local_time(moment, timezone="Europe/Paris", fmt="%d/%m/%Y %H:%M:%S"):
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone)).strftime(fmt)


def register_filters(app) -> None:
    app.add_template_filter(format_euros, "euros")
    app.add_template_filter(local_time, "localtime")
