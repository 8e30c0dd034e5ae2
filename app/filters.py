"""Jinja filters and helpers: money, times and labels are formatted only here, at display."""

from urllib.parse import urlencode, urlsplit
from zoneinfo import ZoneInfo

from flask import current_app, has_request_context, request, url_for
from werkzeug.datastructures import iter_multi_items

from app import labels
from app.money import format_euros
from app.reasons import usual_reasons
from app.services.quantities import format_quantity

# The formats the screens use, written out: strftime goes through the C library's locale
# machinery at three times the cost, and a list of 50 documents shows a time on every row.
# Any other format goes to strftime (tests/register/test_filters.py: the same text).
_FORMATS = {
    "%d/%m/%Y %H:%M:%S": lambda t: (
        f"{t.day:02d}/{t.month:02d}/{t.year} {t.hour:02d}:{t.minute:02d}:{t.second:02d}"
    ),
    "%d/%m/%Y %H:%M": lambda t: f"{t.day:02d}/{t.month:02d}/{t.year} {t.hour:02d}:{t.minute:02d}",
    "%d/%m %H:%M": lambda t: f"{t.day:02d}/{t.month:02d} {t.hour:02d}:{t.minute:02d}",
    "%H:%M": lambda t: f"{t.hour:02d}:{t.minute:02d}",
    "%Y-%m-%d": lambda t: f"{t.year}-{t.month:02d}-{t.day:02d}",
}


def local_time(moment, timezone="Europe/Paris", fmt="%d/%m/%Y %H:%M:%S"):
    if moment is None:
        return ""
    local = moment.astimezone(ZoneInfo(timezone or "Europe/Paris"))
    written = _FORMATS.get(fmt)
    return written(local) if written else local.strftime(fmt)


def url_path(url: str) -> str:
    """The path of an absolute URL: a redirect target that cannot leave this site."""
    return urlsplit(url or "").path or "/"


def kept_url_for(endpoint: str, **values) -> str:
    """url_for for templates. The address of a page named alone, or of a static file, depends
    only on the app and where it is mounted: worked out once and kept (a page asks for twenty
    or so, the layout's stylesheets and scripts on every page). A page whose address takes no
    argument, asked for with a query (a list's filters, its « plus anciens »), is that kept
    address and the query encoded as url_for encodes it (tests/register/test_filters.py)."""
    relative = endpoint.startswith(".")  # depends on the blueprint of the page
    if relative or not has_request_context():
        return url_for(endpoint, **values)
    static = endpoint == "static"
    if values and not static and not _takes_no_argument(endpoint, values):
        return url_for(endpoint, **values)
    if static and (len(values) != 1 or "filename" not in values):
        return url_for(endpoint, **values)
    kept = current_app.extensions.setdefault("kept_urls", {})
    key = (request.script_root, endpoint, values.get("filename") if static else None)
    found = kept.get(key)
    if found is None:
        found = kept[key] = url_for(endpoint, **(values if static else {}))
    if static or not values:
        return found
    query = _QUERY([item for item in iter_multi_items(values) if item[1] is not None], safe=_QUERY_SAFE)
    return f"{found}?{query}" if query else found


# What werkzeug's Rule.build does with the values a rule does not take: dropped when None,
# encoded in the order given with these characters left as they are.
_QUERY, _QUERY_SAFE = urlencode, "!$'()*,/:;?@"


def _takes_no_argument(endpoint: str, values: dict) -> bool:
    """The endpoint has one address, with no part of it filled from the values (so every
    value goes to the query), and no value asks url_for for something else (_external…)."""
    if any(name.startswith("_") for name in values):
        return False
    plain = current_app.extensions.setdefault("endpoints_without_argument", {})
    found = plain.get(endpoint)
    if found is None:
        try:
            rules = list(current_app.url_map.iter_rules(endpoint))
        except KeyError:  # no such page: url_for says so
            return False
        found = plain[endpoint] = len(rules) == 1 and not rules[0].arguments and not rules[0].defaults
    return found


def register_filters(app) -> None:
    app.jinja_env.globals["url_for"] = kept_url_for
    app.add_template_filter(format_euros, "euros")
    app.add_template_filter(local_time, "localtime")
    app.add_template_filter(url_path, "url_path")
    app.add_template_filter(format_quantity, "quantity")
    app.add_template_filter(lambda bp: f"{bp / 100:g} %".replace(".", ","), "percent")
    for label in labels.TEMPLATE_GLOBALS:  # state_label(state.code), kind_label(job.kind)…
        app.add_template_global(label)
    app.add_template_global(usual_reasons, "usual_reasons")
