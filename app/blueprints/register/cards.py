"""Liste des transactions (docs/card-transactions.md): every card payment and refund of this
register with its filters, Annuler and Remboursement manuel."""

from dataclasses import replace

from flask import flash, request, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.register import bp
from app.blueprints.screens import form_value, go_to, render_screen
from app.extensions import db
from app.services.cards.documents import (
    ManualRefund,
    cancel_card_transaction,
    cancellation,
    manual_refund_form,
    refund_card_manually,
)
from app.services.cards.listing import CardFilter, list_card_transactions
from app.services.closing.listing import day_choices
from app.services.lifecycle import register_state
from app.services.parsing import parse_amount, parse_day, parse_id
from app.services.people import staff_list
from app.services.screen_state import screen_state
from app.states import Right


def _filters() -> tuple[CardFilter, bool]:
    """The list's filters as typed (what parsing cannot read is refused with its message), and
    whether none was given: the list then opens on today, what a cashier looks for."""
    args = request.args
    amount = (args.get("montant") or "").strip()
    first_visit = args.get("du") is None and args.get("au") is None and not args.get("toutes")
    return CardFilter(
        first_day=parse_day(args.get("du")),
        last_day=parse_day(args.get("au")),
        status=(args.get("statut") or "").strip() or None,
        cashier=(args.get("caissier") or "").strip() or None,
        amount_cents=parse_amount(amount) if amount else None,
        page=parse_id(args.get("page")) or 0,
    ), first_visit


@bp.get("/transactions")
@needs(Right.CANCEL_CARD_TRANSACTION)
def card_transactions():
    state = screen_state(db.session)
    filters, first_visit = _filters()
    if first_visit:
        today = day_choices(state.timezone, None)["today"]
        filters = replace(filters, first_day=today, last_day=today)
    rows, more = list_card_transactions(db.session, signed_in_person(), filters, state.timezone)
    return render_screen(
        "register/card_transactions.html",
        state,
        rows=rows,
        more=more,
        filters=filters,
        typed=request.args,
        kept={name: value for name, value in request.args.items() if name != "page"},
        days=day_choices(state.timezone, None),
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.get("/transactions/<uuid>/annuler")
@needs(Right.CANCEL_CARD_TRANSACTION)
def cancel_card_form(uuid):
    state = register_state(db.session)
    found = cancellation(db.session, uuid, signed_in_person())
    return render_screen(
        "register/card_cancel.html",
        state,
        transaction=found,
        people=staff_list(db.session, state.box.imported_at),
    )


@bp.post("/transactions/<uuid>/annuler")
@by_code
def cancel_card(uuid):
    document = cancel_card_transaction(
        db.session,
        form_value("person"),
        form_value("password"),
        uuid,
        posted_token=form_value("screen_token") or None,
    )
    flash(
        _("Transaction annulée : document n° %(number)s.", number=document.number),
        "success",
    )
    return go_to(url_for("register.card_transactions"))


@bp.get("/transactions/remboursement")
@needs(Right.MANUAL_CARD_REFUND)
def manual_refund_page():
    state = register_state(db.session)
    return render_screen(
        "register/card_refund.html",
        state,
        people=staff_list(db.session, state.box.imported_at),
        form=request.form,
        **manual_refund_form(db.session, signed_in_person()),
    )


@bp.post("/transactions/remboursement")
@by_code
def manual_refund():
    document = refund_card_manually(
        db.session,
        form_value("person"),
        form_value("password"),
        ManualRefund(
            amount_cents=parse_amount(form_value("amount")),
            method_code=form_value("method") or None,
            reason=form_value("reason"),
        ),
        document_uuid=form_value("document"),
        posted_token=form_value("screen_token") or None,
    )
    flash(
        _("Remboursement manuel enregistré : document n° %(number)s.", number=document.number),
        "success",
    )
    return go_to(url_for("register.card_transactions"))
