"""Rapports de caisse (docs/reports.md): the hub, the Récapitulatif du point de vente and the
Rapport périodique, each previewed on screen and printed through the print queue. Dates
come from the touch calendar's links (the kiosk has no keyboard) or as typed in a URL."""

from flask import flash, request, url_for
from flask_babel import gettext as _

from app.access import needs, signed_in_person
from app.blueprints.reports import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.lifecycle import register_state
from app.services.parsing import parse_day
from app.services.reports import (
    MAX_RANGE_DAYS,
    periodic_page,
    point_of_sale_summary,
    print_periodic_report,
    print_point_of_sale,
    print_token,
)
from app.services.reports.rows import FONDS_COLUMNS, FONDS_OPTIONAL_COLUMNS
from app.states import Right

TABS = ("especes", "fonds", "ventes", "categories")


@bp.get("")
@needs(Right.CLOSE)
def index():
    return render_screen("reports/index.html")


@bp.get("/point-de-vente")
@needs(Right.CLOSE)
def point_of_sale():
    state = register_state(db.session)
    args = request.args
    tab = args.get("onglet") if args.get("onglet") in TABS else TABS[0]
    summary = point_of_sale_summary(
        db.session,
        signed_in_person(),
        parse_day(args.get("jour")),
        (args.get("journee") or "").strip() or None,
        state.timezone,
        parse_day(args.get("mois")),
    )
    return render_screen(
        "reports/point_of_sale.html",
        state,
        summary=summary,
        tab=tab,
        all_columns=args.get("colonnes") == "toutes",
        token=print_token(),
        columns=FONDS_COLUMNS,
        optional_columns=FONDS_OPTIONAL_COLUMNS,
    )


@bp.post("/point-de-vente/imprimer")
@needs(Right.CLOSE)
def print_point_of_sale_():
    state = register_state(db.session)
    print_point_of_sale(
        db.session,
        signed_in_person(),
        parse_day(form_value("jour")),
        form_value("journee") or None,
        state.timezone,
        form_value("jeton"),
    )
    flash(_("Le récapitulatif part à l'imprimante."), "success")
    return go_to(
        url_for("reports.point_of_sale", jour=form_value("jour"), journee=form_value("journee") or None)
    )


@bp.get("/periodique")
@needs(Right.CLOSE)
def periodic():
    state = register_state(db.session)
    args = request.args
    page = periodic_page(
        db.session,
        signed_in_person(),
        parse_day(args.get("du")),
        parse_day(args.get("au")),
        args.get("choix") or "",
        parse_day(args.get("mois")),
        state.timezone,
    )
    return render_screen(
        "reports/periodic.html",
        state,
        status=422 if page.error else 200,
        page=page,
        max_days=MAX_RANGE_DAYS,
        token=print_token(),
        columns=FONDS_COLUMNS,
        optional_columns=FONDS_OPTIONAL_COLUMNS,
    )


@bp.post("/periodique/imprimer")
@needs(Right.CLOSE)
def print_periodic():
    state = register_state(db.session)
    print_periodic_report(
        db.session,
        signed_in_person(),
        parse_day(form_value("du")),
        parse_day(form_value("au")),
        state.timezone,
        form_value("jeton"),
    )
    flash(_("Le rapport périodique part à l'imprimante."), "success")
    return go_to(url_for("reports.periodic", du=form_value("du"), au=form_value("au")))
