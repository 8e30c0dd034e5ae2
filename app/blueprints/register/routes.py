"""The open register (docs/flows.md, « The open register »): who may connect, and Fermer la caisse."""

from flask import flash, request, session, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, public, sign_in_viewer, signed_in_person
from app.blueprints.register import bp
from app.blueprints.screens import form_value, go_to, into_modal, render_partial, render_screen
from app.extensions import db
from app.services.cashier_session_setting import needs_session, sessions_on
from app.services.closing import ClosingPass, TicketsInProgress, begin_closing
from app.services.closing.automatic import waiting_auto_close
from app.services.closing.cash import movements_of_day, record_cash_movement
from app.services.lifecycle import check_screen_fresh, register_state
from app.services.parsing import parse_amount
from app.services.people import staff_list
from app.services.sessions import connect_seller
from app.states import RegisterStateCode, Right


@bp.get("")
@public("la caisse ouverte : Connecter et Fermer la caisse, chacun avec son code")
def page():
    state = register_state(db.session)
    if state.code != RegisterStateCode.OPEN:
        return go_to(url_for("opening.index"))
    people = staff_list(db.session, state.box.imported_at)
    return render_screen(
        "register/page.html",
        state,
        people=people,
        chosen_person=session.get("last_person", ""),
        auto_close_waiting=waiting_auto_close(db.session, state),
        cashier_sessions=sessions_on(db.session),
    )


@bp.post("/connect")
@by_code
def connect():
    seller = connect_seller(
        db.session,
        form_value("person"),
        form_value("password"),
        posted_token=form_value("screen_token") or None,
    )
    session.permanent = True
    session["seller"] = seller.uuid
    session["last_person"] = seller.staff_code
    if needs_session(db.session, register_state(db.session).box.register_code, seller.staff_code):
        return go_to(url_for("cashier_sessions.opening"))  # « Ouverture de la session » first
    return go_to(url_for("selling.page"))


@bp.post("/close")
@by_code
def close():
    """Fermer la caisse: the manager's password; tickets in progress are listed, else the
    closing page opens."""
    check_screen_fresh(db.session, form_value("screen_token") or None)
    try:
        staff = begin_closing(db.session, form_value("person"), form_value("password"))
    except TicketsInProgress as refusal:
        state = register_state(db.session)
        if request.htmx:  # the list opens in a window over the page, the form stays as it was
            return into_modal(
                render_partial(
                    "register/_in_progress.html",
                    status=409,
                    in_progress=refusal.tickets,
                    refusal=str(refusal),
                    chosen_person=form_value("person"),
                    shop_timezone=state.timezone,
                )
            )
        return render_screen(
            "register/page.html",
            state,
            status=409,
            people=staff_list(db.session, state.box.imported_at),
            chosen_person=form_value("person"),
            in_progress=refusal.tickets,
            refusal=str(refusal),
        )
    # The manager typed their code to open a page of figures: they are signed in to see it.
    sign_in_viewer(staff, journal_as="Fermer la caisse")
    session[ClosingPass.SESSION_KEY] = ClosingPass.opened(staff, register_state(db.session).open_day).stored()
    return go_to(url_for("closing.page"))


@bp.get("/mouvements")
@needs(Right.CASH_MOVEMENT)
def movements():
    state = register_state(db.session)
    if state.code != RegisterStateCode.OPEN:
        return go_to(url_for("opening.index"))
    return render_screen(
        "register/movements.html",
        state,
        movements=movements_of_day(db.session, state.open_day.id, signed_in_person()),
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.post("/mouvements")
@by_code
def add_movement():
    movement = record_cash_movement(
        db.session,
        form_value("person"),
        form_value("password"),
        form_value("kind"),
        parse_amount(form_value("amount")),
        form_value("reason"),
    )
    flash(_("Mouvement n° %(number)s enregistré.", number=movement.number), "success")
    return go_to(url_for("register.movements"))
