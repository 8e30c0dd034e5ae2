"""Cash documents (docs/cash-documents.md): Liste des DC/RC for any day, the DC/RC form with
its Aperçu, Valider et imprimer, and one document as it printed."""

from flask import abort, flash, request, url_for
from flask_babel import gettext as _

from app.access import by_code, needs, signed_in_person
from app.blueprints.register import bp
from app.blueprints.register.filters import list_filters
from app.blueprints.screens import form_value, go_to, render_partial, render_screen
from app.extensions import db
from app.services.closing.cash import (
    CashDocument,
    cash_document_methods,
    new_cash_document,
    preview_cash_document,
    record_cash_document,
)
from app.services.closing.cash_list import cash_document, list_cash_documents
from app.services.closing.listing import day_choices
from app.services.lifecycle import register_state
from app.services.parsing import parse_amount
from app.services.people import staff_list
from app.services.screen_state import screen_state
from app.states import RegisterStateCode, Right


@bp.get("/documents")
@needs(Right.CASH_MOVEMENT)
def documents():
    state = screen_state(db.session)
    filters = list_filters()
    rows, more = list_cash_documents(db.session, signed_in_person(), filters, state.timezone)
    return render_screen(
        "register/documents.html",
        state,
        rows=rows,
        more=more,
        typed=request.args.to_dict(),  # a dict: a missing key costs no exception
        chosen_day=filters.day,
        days=day_choices(state.timezone, filters.day),
    )


def _document() -> CashDocument:
    return CashDocument(
        kind=form_value("kind"),
        amount_cents=parse_amount(form_value("amount")),
        description=form_value("description"),
        method_code=form_value("method") or None,
        payer_kind=form_value("payer_kind") or None,
        payer=form_value("payer_name")
        if form_value("payer_kind") == "customer"
        else form_value("payer_code"),
    )


def _form_page(state, status=200, **context):
    return render_screen(
        "register/document_form.html",
        state,
        status=status,
        methods=cash_document_methods(db.session),
        people=staff_list(db.session, state.box.imported_at),
        form=request.form,
        **context,
    )


@bp.get("/documents/nouveau")
@needs(Right.CASH_MOVEMENT)
def new_document():
    state = register_state(db.session)
    if state.code != RegisterStateCode.OPEN:
        flash(_("La caisse n'est pas ouverte."), "error")
        return go_to(url_for("register.documents"))
    return _form_page(state, document_uuid=new_cash_document())


@bp.post("/documents/apercu")
@needs(Right.CASH_MOVEMENT)
def preview_document():
    text = preview_cash_document(db.session, _document(), signed_in_person())
    if request.htmx:
        people = staff_list(db.session, register_state(db.session).box.imported_at)
        return render_partial("register/_document_preview.html", receipt_text=text, people=people)
    return _form_page(register_state(db.session), document_uuid=form_value("document"), receipt_text=text)


@bp.post("/documents")
@by_code
def add_document():
    movement = record_cash_document(
        db.session,
        form_value("person"),
        form_value("password"),
        _document(),
        document_uuid=form_value("document"),
        posted_token=form_value("screen_token") or None,
    )
    return go_to(url_for("register.document", uuid=movement.uuid))


@bp.get("/documents/<uuid>")
@needs(Right.CASH_MOVEMENT)
def document(uuid):
    found = cash_document(db.session, uuid, signed_in_person())
    if found is None:
        abort(404)
    movement, text = found
    return render_screen(
        "register/document.html", screen_state(db.session), movement=movement, receipt_text=text
    )
