"""The safe (docs/safe.md): the Coffre-fort window, its Liste des opérations, and the Dépôt
Coffre-fort / Retrait Coffre-fort form."""

from flask import flash, request, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.register import bp
from app.blueprints.register.filters import list_filters
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.closing.listing import day_choices
from app.services.closing.safe import safe_window
from app.services.closing.safe_list import list_safe_movements
from app.services.closing.safe_movements import (
    SafeOperation,
    new_safe_movement,
    record_safe_movement,
    safe_form_methods,
    safe_methods,
)
from app.services.lifecycle import register_state
from app.services.parsing import parse_amount
from app.services.people import staff_list
from app.services.screen_state import screen_state
from app.states import CashMovementKind, PayerKind, RegisterStateCode, Right

# The form's two documents, as the address names them (the manual's buttons).
KINDS = {"depot": CashMovementKind.IN, "retrait": CashMovementKind.OUT}


@bp.get("/coffre")
@needs(Right.SAFE)
def safe():
    state = screen_state(db.session)
    return render_screen("register/safe.html", state, safe=safe_window(db.session, signed_in_person()))


@bp.get("/coffre/operations")
@needs(Right.SAFE)
def safe_operations():
    state = screen_state(db.session)
    filters = list_filters()
    found = list_safe_movements(db.session, signed_in_person(), filters, state.timezone)
    return render_screen(
        "register/safe_operations.html",
        state,
        safe=found.safe,
        rows=found.rows,
        more=found.more,
        typed=request.args.to_dict(),  # a dict: a missing key costs no exception
        chosen_day=filters.day,
        days=day_choices(state.timezone, filters.day),
        methods=safe_methods(db.session),
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.get("/coffre/nouveau")
@needs(Right.SAFE)
def new_safe_movement_form():
    state = register_state(db.session)
    methods = safe_form_methods(db.session, signed_in_person())
    if state.code != RegisterStateCode.OPEN:
        flash(_("La caisse n'est pas ouverte."), "error")
        return go_to(url_for("register.safe"))
    return render_screen(
        "register/safe_form.html",
        state,
        kind=KINDS.get(request.args.get("type", "depot"), CashMovementKind.IN),
        methods=methods,
        people=staff_list(db.session, state.box.imported_at),
        form=request.args,
        movement_uuid=new_safe_movement(),
    )


@bp.post("/coffre")
@by_code
def add_safe_movement():
    payer_kind = form_value("payer_kind") or None
    result = record_safe_movement(
        db.session,
        form_value("person"),
        form_value("password"),
        SafeOperation(
            kind=form_value("kind"),
            amount_cents=parse_amount(form_value("amount")),
            method_code=form_value("method"),
            payer_kind=payer_kind,
            payer=form_value("payer_name") if payer_kind == PayerKind.CUSTOMER else form_value("payer_code"),
            description=form_value("description"),
        ),
        movement_uuid=form_value("movement"),
        posted_token=form_value("screen_token") or None,
    )
    movement = result.movement
    label = _("Dépôt Coffre-fort") if movement.kind == CashMovementKind.IN else _("Retrait Coffre-fort")
    flash(_("%(label)s n° %(number)s enregistré.", label=label, number=movement.number), "success")
    for warning in result.warnings:
        flash(warning, "warning")
    return go_to(url_for("register.safe"))
