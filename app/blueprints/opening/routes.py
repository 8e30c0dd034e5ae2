"""Ouverture de la caisse — the landing page whenever no register is open (docs/flows.md):
register, person, password, amount, and Ouvrir / Importer / Exporter as the state allows."""

from flask import current_app, flash, request, url_for

from app.access import by_code, public
from app.blueprints.opening import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.closing import denominations, suggested_float
from app.services.closing.automatic import automatic_closing_shown
from app.services.counting import read_counts, read_reasons
from app.services.errors import HeadOfficeProblem
from app.services.lifecycle import open_register, register_state
from app.services.opening import OpeningCount, opening_methods
from app.services.parsing import parse_amount
from app.services.people import staff_list
from app.states import RegisterStateCode
from app.sync.alerts import shown_alerts
from app.sync.client import HeadOfficeClient
from app.sync.conflicts import conflicting_batches
from app.sync.planned_import import planned_import_notice
from app.sync.registers import importers_of, known_registers, refresh_known_registers


@bp.get("/")
@public("l'ouverture de la caisse : personne, code, fonds de caisse")
def index():
    state = register_state(db.session)
    if state.code == RegisterStateCode.OPEN:
        return go_to(url_for("register.page"))
    choices = _choices(state)
    problem = None
    if not choices["registers"] and state.code == RegisterStateCode.CLOSED_AWAITING_IMPORT:
        problem = _refresh()
        choices = _choices(state)
    return render_screen(
        "opening/page.html",
        state,
        **choices,
        problem=problem,
        conflicts=conflicting_batches(db.session),
        integrity_alerts=shown_alerts(db.session),
        auto_closed=automatic_closing_shown(state),
        planned_import=planned_import_notice(db.session),
    )


@bp.get("/people")
@public("la liste des personnes du formulaire d'ouverture")
def people():
    """The person list follows the register chosen (HTMX swap of the select)."""
    state = register_state(db.session)
    return render_screen("opening/_people.html", state, **_choices(state))


@bp.post("/registers/refresh")
@public("en état A, la caisse ne connaît encore personne")
def refresh():
    problem = _refresh()
    if problem:
        flash(problem, "error")
    return go_to(url_for("opening.index"))


@bp.get("/ouverture/comptage")
@public(
    "la fenêtre de comptage à l'ouverture : ce que la dernière fermeture a laissé, comme le fonds proposé"
)
def count():
    """« Comptage obligatoire du fonds de caisse »: Ouvrir brings the count window by itself."""
    state = register_state(db.session)
    if not (state.can_open and state.register and state.register.counting_mandatory):
        return go_to(url_for("opening.index"))
    return render_screen(
        "opening/count.html",
        state,
        methods=opening_methods(db.session, state.box.register_code),
        denominations=denominations(db.session),
        blind=state.register.blind_count,
        people=staff_list(db.session, state.box.imported_at),
        chosen_person=request.args.get("person", ""),
    )


@bp.post("/open")
@by_code
def open_():
    """Ouvrir: the typed float, or — with mandatory counting — the count window's fields."""
    typed = form_value("amount")
    methods = opening_methods(db.session, None)
    counting = OpeningCount(
        counts=read_counts(request.form, methods, denominations(db.session)),
        reasons=read_reasons(request.form, methods),
    )
    open_register(
        db.session,
        form_value("person"),
        form_value("password"),
        parse_amount(typed) if typed else None,
        posted_token=form_value("screen_token") or None,
        counting=counting,
    )
    return go_to(url_for("register.page"))


def _refresh() -> str | None:
    try:
        with HeadOfficeClient.from_config(current_app.config) as client:
            refresh_known_registers(db.session, client)
    except HeadOfficeProblem as error:
        db.session.rollback()
        return str(error)
    return None


def _choices(state) -> dict:
    """Registers offered, the one chosen, and the people for it.

    The imported register's people are the box's own staff (they open and export); any
    other register's are head office's importers for it (they import)."""
    from flask import current_app, request

    registers = known_registers(db.session)
    locked = state.code == RegisterStateCode.CLOSED_NOT_EXPORTED
    # COMPTOIR_REGISTER: the register the technician provisioned this box for.
    chosen = (
        state.box.register_code
        if locked
        else (
            request.values.get("register")
            or state.box.register_code
            or current_app.config["COMPTOIR_REGISTER"]
            or (registers[0].code if registers else "")
        )
    )
    if chosen and chosen == state.box.register_code:
        people = staff_list(db.session, state.box.imported_at)
    else:
        known = next((r for r in registers if r.code == chosen), None)
        people = importers_of(known) if known else []
    suggested = (
        suggested_float(db.session, state.box.register_code)
        if state.code == RegisterStateCode.CLOSED_NOT_EXPORTED
        else None
    )
    return {
        "registers": registers,
        "chosen_register": chosen,
        "register_locked": locked,
        "suggested_float": suggested,
        "count_at_opening": bool(state.can_open and state.register and state.register.counting_mandatory),
        "people": people,
        "chosen_person": request.values.get("person", ""),
    }
