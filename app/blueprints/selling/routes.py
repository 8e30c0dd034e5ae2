"""The selling screen (docs/selling.md): the ticket on the left, one panel on the right (catalog,
payment, tickets aside, return, line editor…). HTMX swaps fragments; every form also works
as a plain POST that comes back to the screen."""

from flask import g, redirect, request, session, url_for
from flask_babel import lazy_gettext as _l

from app.access import SELLER, access_of, public, seller, sign_out_viewer
from app.blueprints.screens import form_value, go_to
from app.blueprints.selling import bp
from app.blueprints.selling.view import PANELS, render_scanned, render_selling
from app.extensions import db
from app.services.errors import InvalidInput, StaleScreen
from app.services.parsing import parse_amount, parse_percent, parse_quantity
from app.services.selling import (
    add_product,
    at_work,
    discount_line,
    discount_ticket,
    remove_line,
    set_quantity,
    step_quantity,
)
from app.services.sessions import disconnect_seller


@bp.before_request
def resolve_seller():
    """Who sells, on which day: read once per selling request (one query), then handed to
    every service the route calls. A closed day or a disconnected seller ends the request
    here with the usual message; the screen itself goes back to the register."""
    access = access_of(request.endpoint)
    if access is None or access.kind != SELLER:
        return None
    try:
        g.work = at_work(db.session, session.get("seller"))
    except StaleScreen:
        if request.endpoint != "selling.page":
            raise
        session.pop("seller", None)
        return go_to(url_for("register.page"))
    return None


def current_work():
    """The seller resolved for this request by resolve_seller."""
    return g.work


def answer(work, panel="catalog", fragment="selling/_work.html"):
    """HTMX gets the fragment; a plain form goes back to the screen with the same panel."""
    if request.htmx:
        return render_selling(work, panel=panel, template=fragment)
    return redirect(url_for("selling.page", panel=panel), code=303)


@bp.get("")
@seller
def page():
    work = current_work()
    panel = request.args.get("panel", "catalog")
    panel = panel if panel in PANELS else "catalog"
    if request.htmx and request.headers.get("HX-Target") == "side":
        return render_selling(work, panel=panel, template="selling/_side.html")
    return render_selling(work, panel=panel)


@bp.get("/search")
@seller
def search():
    return render_selling(current_work(), panel="catalog", template="selling/_results.html")


@bp.post("/scan")
@seller
def scan():
    """The scanner types digits + Enter into the scan field: one line more, nothing else."""
    scanned = add_product(db.session, current_work(), scanned=form_value("code"))
    return _scanned(scanned)


def _scanned(scanned):
    if request.htmx:
        return render_scanned(scanned.work, scanned)
    return redirect(url_for("selling.page"), code=303)


@bp.post("/product/<code>")
@seller
def product(code):
    typed = form_value("quantity")
    quantity = parse_quantity(typed, form_value("unit") or "unit") if typed else None
    scanned = add_product(db.session, current_work(), product_code=code, quantity_milli=quantity)
    return _scanned(scanned)


@bp.post("/lines/<int:line_id>/quantity")
@seller
def quantity(line_id):
    work = current_work()
    step = form_value("step")
    if step in ("+1", "-1"):
        step_quantity(db.session, work, line_id, int(step))
    else:
        set_quantity(
            db.session, work, line_id, parse_quantity(form_value("quantity"), form_value("unit") or "unit")
        )
    return answer(work)


@bp.post("/lines/<int:line_id>/remove")
@seller
def remove(line_id):
    work = current_work()
    remove_line(db.session, work, line_id)
    return answer(work)


def _discount_args() -> dict:
    percent, amount = form_value("percent"), form_value("amount")
    if percent and amount:
        raise InvalidInput(_l("Donnez la remise en % ou en €, pas les deux."))
    args = {"person": form_value("person") or None, "password": form_value("password") or None}
    if percent:
        args["percent_bp"] = parse_percent(percent)
    elif amount:
        args["amount_cents"] = parse_amount(amount)
    else:
        args["percent_bp"] = 0  # an empty discount takes the discount off
    return args


@bp.post("/lines/<int:line_id>/discount")
@seller
def line_discount(line_id):
    work = current_work()
    discount_line(db.session, work, line_id, **_discount_args())
    return answer(work)


@bp.post("/discount")
@seller
def ticket_discount():
    work = current_work()
    discount_ticket(db.session, work, **_discount_args())
    return answer(work, panel="pay")


@bp.post("/disconnect")
@public("Déconnecter : oublie le vendeur (et la personne identifiée) de cet écran")
def disconnect():
    sign_out_viewer("Déconnecter")
    seller_uuid = session.pop("seller", None)
    session.pop("last_receipt", None)
    if seller_uuid:
        disconnect_seller(db.session, seller_uuid)
    return go_to(url_for("register.page"))
