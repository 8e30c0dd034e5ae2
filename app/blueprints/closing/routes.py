"""Fermer la caisse → the closing page → Valider la fermeture (docs/flows.md, « Closing »). The
manager's password opens the page for ten minutes; Valider asks for it again."""

from flask import flash, request, session, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, public
from app.blueprints.closing import bp
from app.blueprints.closing.forms import closing_request, typed_counts
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.closing import ClosingPass, close_day, closing_sheet, denominations, summarise_day
from app.services.errors import StaleScreen
from app.services.lifecycle import register_state
from app.services.people import staff_list
from app.services.selling.aside import cancel_in_progress
from app.states import RegisterStateCode, Right


def closing_pass(state) -> ClosingPass | None:
    """The pass this screen keeps, if it is for the open day and still fresh."""
    if state.code != RegisterStateCode.OPEN:
        return None
    return ClosingPass.still_valid(session.get(ClosingPass.SESSION_KEY), state.open_day)


@bp.get("/fermeture")
@needs(Right.CLOSE)
def page():
    state = register_state(db.session)
    closing = closing_pass(state)
    if closing is None:
        if state.code == RegisterStateCode.OPEN:
            flash(_("Tapez le mot de passe du responsable puis « Fermer la caisse »."), "warning")
        return go_to(
            url_for("register.page") if state.code == RegisterStateCode.OPEN else url_for("opening.index")
        )
    sheet = closing_sheet(db.session, state.open_day, closing)
    return render_screen(
        "closing/page.html",
        state,
        summary=sheet.summary,
        register=sheet.register,
        closer=sheet.closer,
        denominations=sheet.denominations,
        sellers=sheet.sellers,
        typed=sheet.typed,
        blind=sheet.blind,
        revealed=sheet.revealed,
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.post("/fermeture/comparer")
@needs(Right.CLOSE)
def compare():
    """Blind count: the counts are kept, then the expected amounts are shown beside them."""
    state = register_state(db.session)
    closing = closing_pass(state)
    if closing is None:
        raise StaleScreen(_("La page de fermeture a expiré : recommencez « Fermer la caisse »."))
    summary = summarise_day(db.session, state.open_day)
    notes_and_coins = denominations(db.session)
    closing_request(request.form, summary, notes_and_coins)  # refuses what cannot be read
    closing = closing.with_counts(typed_counts(request.form, summary, notes_and_coins))
    session[ClosingPass.SESSION_KEY] = closing.stored()
    return go_to(url_for("closing.page"))


@bp.post("/fermeture")
@by_code
def validate():
    state = register_state(db.session)
    closing = closing_pass(state)
    if state.code == RegisterStateCode.OPEN and closing is None:
        raise StaleScreen(_("La page de fermeture a expiré : recommencez « Fermer la caisse »."))
    summary = summarise_day(db.session, state.open_day) if state.code == RegisterStateCode.OPEN else None
    form = dict(request.form)
    form.update(closing.frozen_counts if closing else {})  # a blind count cannot be changed once shown
    close_request = closing_request(form, summary, denominations(db.session)) if summary else None
    day = close_day(db.session, form_value("person"), form_value("password"), close_request)
    session.pop(ClosingPass.SESSION_KEY, None)
    session.pop("seller", None)
    flash(
        _(
            "La caisse est fermée : journée n° %(number)s. Le ticket Z part à l'imprimante.",
            number=day.number,
        ),
        "success",
    )
    return go_to(url_for("opening.index"))


@bp.post("/fermeture/annuler")
@public("Annuler : oublie la page de fermeture de cet écran, n'écrit rien")
def cancel():
    """Annuler: nothing was written; back to the open register."""
    session.pop(ClosingPass.SESSION_KEY, None)
    return go_to(url_for("register.page"))


@bp.post("/fermeture/tickets/<uuid>/annuler")
@by_code
def cancel_ticket(uuid):
    """From the refused closing: cancel a ticket in progress (right, password, reason)."""
    state = register_state(db.session)
    if state.code != RegisterStateCode.OPEN:
        raise StaleScreen(_("La caisse n'est pas ouverte."))
    cancel_in_progress(
        db.session,
        state.open_day.id,
        uuid,
        form_value("person"),
        form_value("password"),
        form_value("reason"),
    )
    flash(_("Ticket annulé."), "success")
    return go_to(url_for("register.page"))
