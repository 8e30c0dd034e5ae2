"""The registers dashboard and the Z archive (read by every role)."""

from datetime import date, timedelta

from flask import current_app, g, render_template, request
from flask_babel import gettext as _

from headoffice.dashboard import register_status, registers_overview
from headoffice.extensions import db
from headoffice.lookups import find_shop
from headoffice.refusals import NotFound, Refused
from headoffice.roles import Can
from headoffice.timeutil import utcnow
from headoffice.web import bp, render_refused
from headoffice.web.signin import needs
from headoffice.z_archive import list_z, z_of_day


def _offline_after() -> timedelta:
    return timedelta(hours=current_app.config["HEADOFFICE_OFFLINE_AFTER_HOURS"])


@bp.get("/boutique/<shop>/caisses")
@needs(Can.READ)
def registers(shop):
    rows = registers_overview(db.session, g.shop.id, utcnow(), _offline_after())
    return render_template("registers.html", rows=rows)


@bp.get("/boutique/<shop>/caisses/<code>")
@needs(Can.READ)
def register(shop, code):
    status = register_status(db.session, g.shop.id, code, utcnow(), _offline_after())
    if status is None:
        raise NotFound(_("Caisse inconnue : %(code)s.", code=code[:32]))
    return render_template("register.html", status=status)


def _date(name: str) -> date | None:
    value = request.args.get(name, "").strip()
    if not value:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise Refused(
            _("Date %(value)s : choisissez une date du calendrier (AAAA-MM-JJ).", value=value[:20])
        ) from None


@bp.get("/boutique/<shop>/z")
@needs(Can.READ)
def z_archive(shop):
    register_code = request.args.get("caisse", "")[:32]
    number = request.args.get("page", "0")
    page = min(int(number), 10_000) if number.isascii() and number.isdigit() and len(number) <= 9 else 0
    context = {"register_code": register_code, "page": page, "registers": _register_codes()}
    try:
        start, end = _date("du"), _date("au")
        rows, more = list_z(
            db.session, find_shop(g.shop.code), register_code=register_code, start=start, end=end, page=page
        )
    except Refused as refused:
        return render_refused("z_archive.html", refused, rows=[], more=False, **context)
    return render_template("z_archive.html", rows=rows, more=more, **context)


@bp.get("/boutique/<shop>/z/<day_uuid>")
@needs(Can.READ)
def z_day(shop, day_uuid):
    day = z_of_day(db.session, find_shop(g.shop.code), day_uuid[:36])
    return render_template("z_day.html", day=day)


def _register_codes() -> list[str]:
    from headoffice.manage.registers import list_registers

    return [code for code, _settings in list_registers(db.session, g.shop.id)]
