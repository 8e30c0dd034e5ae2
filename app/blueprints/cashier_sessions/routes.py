"""Cashier sessions (docs/cashier-sessions.md): the opening window after Connecter, the list
« Sessions de caisse d'opérateurs » with its filter and Actualiser, and « Saisir la recette »."""

from flask import flash, request, session, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, seller, signed_in_person
from app.blueprints.cashier_sessions import bp
from app.blueprints.cashier_sessions.forms import deposit_count, session_closing
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.cashier_sessions.listing import list_sessions
from app.services.cashier_sessions.opening import new_session_uuid, open_cashier_session, opening_window
from app.services.closing import denominations
from app.services.closing.cashier_session import close_cashier_session, own_session_sheet, session_sheet
from app.services.people import staff_list
from app.services.selling import at_work
from app.services.sessions import connect_seller
from app.states import Right


@bp.get("/ouverture")
@seller
def opening():
    """Ouverture de la session, for the seller connected on this screen."""
    work = at_work(db.session, session.get("seller"))
    return render_screen(
        "cashier_sessions/opening.html",
        window=opening_window(db.session, work.seller.staff_code),
        cashier=work.seller,
        denominations=denominations(db.session),
        session_uuid=new_session_uuid(),
    )


@bp.post("/ouverture")
@seller
def open_():
    work = at_work(db.session, session.get("seller"))
    opened = open_cashier_session(
        db.session,
        work.seller.staff_code,
        deposit_count(request.form),
        session_uuid=form_value("session_uuid") or None,
        posted_token=form_value("screen_token") or None,
    )
    flash(_("Session de caisse n° %(number)s ouverte.", number=opened.number), "success")
    return go_to(url_for("selling.page"))


@bp.get("")
@needs(Right.CLOSE_OTHER_SESSIONS)
def index():
    """The list; Actualiser asks for the table alone (HTMX) with the same filter."""
    text = request.args.get("filtre", "")
    rows = list_sessions(db.session, signed_in_person(), text)
    if request.htmx and request.headers.get("HX-Target") == "session-rows":
        return render_screen("cashier_sessions/_rows.html", rows=rows)
    return render_screen("cashier_sessions/list.html", rows=rows, filter_text=text)


@bp.get("/<uuid>/recette")
@needs(Right.CLOSE_OTHER_SESSIONS)
def takings(uuid):
    """Saisir la recette of anyone's session, from the list (a manager)."""
    sheet = session_sheet(db.session, uuid, signed_in_person())
    return _takings(sheet, signed_in_person().code, back=url_for("cashier_sessions.index"))


@bp.get("/ma-session")
@seller
def own_takings():
    """Récapitulatif de la session de caisse: the connected cashier's own session."""
    work = at_work(db.session, session.get("seller"))
    sheet = own_session_sheet(db.session, work.seller.staff_code)
    return _takings(sheet, work.seller.staff_code, back=url_for("selling.page"))


@bp.post("/ma-session")
@by_code
def own_session():
    """« Ma session de caisse » on the register page: the cashier connects with their code and
    lands on their session's window (to close it) instead of the selling screen."""
    seller_session = connect_seller(
        db.session,
        form_value("person"),
        form_value("password"),
        posted_token=form_value("screen_token") or None,
    )
    session.permanent = True
    session["seller"] = seller_session.uuid
    session["last_person"] = seller_session.staff_code
    return go_to(url_for("cashier_sessions.own_takings"))


def _takings(sheet, chosen_person: str, back: str):
    return render_screen(
        "cashier_sessions/takings.html",
        sheet=sheet,
        people=staff_list(db.session),
        chosen_person=chosen_person,
        back=back,
    )


@bp.post("/<uuid>/recette")
@by_code
def close(uuid):
    closed = close_cashier_session(
        db.session, uuid, form_value("person"), form_value("password"), session_closing(request.form)
    )
    flash(_("Session de caisse n° %(number)s fermée.", number=closed.number), "success")
    return go_to(url_for("register.page"))
