"""Jinja filters and helpers: money, times and labels are formatted only here, at display."""

from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from app import labels
from app.money import format_euros
from app.reasons import usual_reasons
from app.services.quantities import format_quantity


def local_time(moment, timezone="Europe/Paris", fmt="%d/%m/%Y %H:%M:%S"):
    if moment is None:
        return ""
    return moment.astimezone(ZoneInfo(timezone or "Europe/Paris")).strftime(fmt)


def url_path(url: str) -> str:
    """The path of an absolute URL: a redirect target that cannot leave this site."""
    return urlsplit(url or "").path or "/"


def register_filters(app) -> None:
    app.add_template_filter(format_euros, "euros")
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(url_path, "url_path")
    app.add_template_filter(format_quantity, "quantity")
    app.add_template_filter(lambda bp: f"{bp / 100:g} %".replace(".", ","), "percent")
    for label in labels.TEMPLATE_GLOBALS:  # state_label(state.code), kind_label(job.kind)…
        app.add_template_global(label)
    app.add_template_global(usual_reasons, "usual_reasons")
