"""Fermer la caisse → the closing page → Valider la fermeture (manual 000 §3, 002). The
manager's password opens the page for ten minutes; Valider asks for it again."""
from datetime import datetime, timedelta, timezone

from flask import flash, request, session, url_for
from flask_babel import gettext as _
from sqlalchemy import select

from app.access import by_code, needs, public, sign_in_viewer
from app.blueprints.closing import bp
from app.blueprints.closing.forms import closing_request, typed_counts
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.models import Denomination, Register, Staff
from app.services.closing import close_day, summarise_day
from app.services.errors import StaleScreen
from app.services.lifecycle import OPEN, connected_sellers, register_state
from app.services.people import staff_list
from app.services.selling.aside import cancel_in_progress

CLOSING_MINUTES = 10


def closing_pass(state):
    """Who opened the closing page, if it was for this day and is still fresh."""
    ticket = session.get("closing") or {}
    if state.code != OPEN or ticket.get("day") != state.open_day.uuid:
        return None
    started = datetime.fromisoformat(ticket["at"])
    if datetime.now(timezone.utc) - started > timedelta(minutes=CLOSING_MINUTES):
        return None
    return ticket


def start_closing_page(staff, day):
    # The manager typed their code to open a page of figures: they are signed in to see it.
    sign_in_viewer(staff, journal_as="Fermer la caisse")
    session["closing"] = {"by": staff.code, "day": day.uuid,
                          "at": datetime.now(timezone.utc).isoformat(), "typed": None}


def _denominations():
    return list(db.session.scalars(select(Denomination.value_cents).order_by(Denomination.value_cents.desc())))


@bp.get("/fermeture")
@needs("close")
def page():
    state = register_state(db.session)
    ticket = closing_pass(state)
    if ticket is None:
        if state.code == OPEN:
            flash(_("Tapez le mot de passe du responsable puis « Fermer la caisse »."), "warning")
        return go_to(url_for("register.page") if state.code == OPEN else url_for("opening.index"))
    summary = summarise_day(db.session, state.open_day)
    register = db.session.get(Register, state.open_day.register_code)
    closer = db.session.get(Staff, ticket["by"])
    typed = ticket.get("typed") or {}
    blind = bool(register and register.blind_count)
    return render_screen(
        "closing/page.html", state, summary=summary, register=register, closer=closer,
        denominations=_denominations(), sellers=connected_sellers(db.session, state.open_day),
        typed=typed, blind=blind, revealed=(not blind) or bool(typed),
        people=staff_list(db.session, state.box.imported_at))


@bp.post("/fermeture/comparer")
@needs("close")
def compare():
    """Blind count: the counts are kept, then the expected amounts are shown beside them."""
    state = register_state(db.session)
    ticket = closing_pass(state)
    if ticket is None:
        raise StaleScreen(_("La page de fermeture a expiré : recommencez « Fermer la caisse »."))
    summary = summarise_day(db.session, state.open_day)
    denominations = _denominations()
    closing_request(request.form, summary, denominations)  # refuses what cannot be read
    ticket["typed"] = typed_counts(request.form, summary, denominations)
    session["closing"] = ticket
    return go_to(url_for("closing.page"))


@bp.post("/fermeture")
@by_code
def validate():
    state = register_state(db.session)
    if state.code == OPEN and closing_pass(state) is None:
        raise StaleScreen(_("La page de fermeture a expiré : recommencez « Fermer la caisse »."))
    summary = summarise_day(db.session, state.open_day) if state.code == OPEN else None
    form = dict(request.form)
    typed = (session.get("closing") or {}).get("typed") or {}
    form.update(typed)  # a blind count cannot be changed once the expected amounts were shown
    close_request = closing_request(form, summary, _denominations()) if summary else None
    day = close_day(db.session, form_value("person"), form_value("password"), close_request)
    session.pop("closing", None)
    session.pop("seller", None)
    flash(_("La caisse est fermée : journée n° %(number)s. Le ticket Z part à l'imprimante.",
            number=day.number), "success")
    return go_to(url_for("opening.index"))


@bp.post("/fermeture/annuler")
@public("Annuler : oublie la page de fermeture de cet écran, n'écrit rien")
def cancel():
    """Annuler: nothing was written; back to the open register."""
    session.pop("closing", None)
    return go_to(url_for("register.page"))


@bp.post("/fermeture/tickets/<uuid>/annuler")
@by_code
def cancel_ticket(uuid):
    """From the refused closing: cancel a ticket in progress (right, password, reason)."""
    state = register_state(db.session)
    if state.code != OPEN:
        raise StaleScreen(_("La caisse n'est pas ouverte."))
    cancel_in_progress(db.session, state.open_day.id, uuid, form_value("person"), form_value("password"),
                       form_value("reason"))
    flash(_("Ticket annulé."), "success")
    return go_to(url_for("register.page"))
