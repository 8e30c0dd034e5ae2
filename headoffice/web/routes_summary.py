"""« Récapitulatif de la boutique » on screen (every role): a day (today in the shop's time
zone unless one is asked) or a period (du, au), the manual's figures per register and for
the shop from headoffice/shop_summary.py, its CSV (summary_csv.py) and two charts."""

from datetime import date
from zoneinfo import ZoneInfo

from flask import Response, g, render_template, request
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

from headoffice.roles import Can
from headoffice.shop_summary import MAX_DAYS, Period, SummaryError, read_period, sales_by_day, shop_summary
from headoffice.summary_csv import COLUMNS, file_name, summary_csv
from headoffice.timeutil import utcnow
from headoffice.web import bp, message_page
from headoffice.web.charts import horizontal, vertical
from headoffice.web.signin import needs

# read_period's names of the fields, as the screen's form names them.
FIELDS = {"date": _l("Date"), "from": _l("Du"), "to": _l("Au")}


def _asked() -> tuple[str | None, str | None, str | None]:
    """(date, du, au) as typed, an empty field as absent; nothing asked: today at the shop."""
    asked = tuple((request.args.get(name) or "").strip()[:40] or None for name in ("date", "du", "au"))
    if asked == (None, None, None):
        return utcnow().astimezone(ZoneInfo(g.shop.timezone)).date().isoformat(), None, None
    return asked


def _message(error: SummaryError) -> str:
    """read_period's refusal in the person's language, naming the screen's fields."""
    details = error.details
    if error.code == "invalid_date":
        return _(
            "%(field)s : « %(value)s » n'est pas une date ; choisissez-la dans le calendrier (AAAA-MM-JJ).",
            field=FIELDS.get(details["field"], details["field"]),
            value=details["value"][:20],
        )
    if error.code == "period_too_long":
        return _(
            "Une période couvre %(days)d jours au plus : celle du %(start)s au %(end)s en compte %(count)d.",
            days=MAX_DAYS,
            start=_day(details["start"]),
            end=_day(details["end"]),
            count=(details["end"] - details["start"]).days + 1,
        )
    if "start" in details:
        return _(
            "Dates inversées : le %(start)s (du) est après le %(end)s (au).",
            start=_day(details["start"]),
            end=_day(details["end"]),
        )
    return _("Choisissez une date, ou les deux dates d'une période (du et au).")


def _day(day: date) -> str:
    return day.strftime("%d/%m/%Y")


def _period() -> Period:
    return read_period(*_asked())


@bp.get("/boutique/<shop>/recapitulatif")
@needs(Can.READ)
def shop_summary_screen(shop):
    date_text, start_text, end_text = _asked()
    context = {"date_text": date_text or "", "start_text": start_text or "", "end_text": end_text or ""}
    try:
        period = read_period(date_text, start_text, end_text)
    except SummaryError as error:
        return render_template("shop_summary.html", error=_message(error), summary=None, **context), 400
    summary = shop_summary(g.shop.code, period)
    english = str(get_locale()) == "en"
    per_register = horizontal(
        _("Ventes par caisse"), [(row["register_code"], row["sales_cents"]) for row in summary["registers"]]
    )
    per_day = None
    if period.start != period.end:
        days = sales_by_day(g.shop.code, period)
        per_day = vertical(_("Ventes par jour"), [(day.strftime("%d/%m"), cents) for day, cents in days])
    return render_template(
        "shop_summary.html",
        summary=summary,
        period=period,
        day=_day,
        columns=[(key, en if english else fr) for key, fr, en in COLUMNS],
        per_register=per_register,
        per_day=per_day,
        **context,
    )


@bp.get("/boutique/<shop>/recapitulatif.csv")
@needs(Can.READ)
def shop_summary_download(shop):
    try:
        period = _period()
    except SummaryError as error:
        return message_page(_message(error), 400)
    summary = shop_summary(g.shop.code, period)
    lang = "en" if str(get_locale()) == "en" else "fr"
    return Response(
        summary_csv(summary, lang).encode("utf-8-sig"),  # the BOM makes spreadsheets read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{file_name(summary)}"'},
    )
