"""Payments, Valider, tickets aside, cancellations and returns."""

from flask import session, url_for

from app.access import seller
from app.blueprints.screens import form_value, go_to
from app.blueprints.selling import bp
from app.blueprints.selling.routes import answer, current_work
from app.extensions import db
from app.services.parsing import parse_amount, parse_quantity
from app.services.selling import (
    abandon_return,
    add_payment,
    cancel_ticket,
    finish_ticket,
    refund,
    remove_payment,
    resume_ticket,
    return_line,
    start_return,
    suspend_ticket,
)


def _to_screen(panel="catalog"):
    return go_to(url_for("selling.page", panel=panel))


@bp.post("/pay")
@seller
def pay():
    work = current_work()
    add_payment(
        db.session, work, form_value("method"), parse_amount(form_value("amount")), form_value("reference")
    )
    return answer(work, panel="pay")


@bp.post("/payments/<uuid>/remove")
@seller
def unpay(uuid):
    work = current_work()
    remove_payment(db.session, work, uuid)
    return answer(work, panel="pay")


@bp.post("/finish")
@seller
def finish():
    """Valider: the ticket is final; the screen shows its receipt and a new empty ticket."""
    work = current_work()
    ticket = finish_ticket(db.session, work, form_value("ticket"))
    session["last_receipt"] = ticket.uuid
    # Swapped in place, not a new page: the scanner's next code must find the scan field
    # focused and listening the moment the receipt shows.
    return answer(work, panel="receipt")


@bp.post("/suspend")
@seller
def suspend():
    work = current_work()
    suspend_ticket(db.session, work)
    return _to_screen("aside")


@bp.post("/resume/<uuid>")
@seller
def resume(uuid):
    work = current_work()
    resume_ticket(db.session, work, uuid)
    return _to_screen()


@bp.post("/cancel")
@seller
def cancel():
    work = current_work()
    cancel_ticket(
        db.session,
        work,
        form_value("ticket"),
        form_value("person"),
        form_value("password"),
        form_value("reason"),
    )
    return _to_screen()


@bp.post("/return")
@seller
def begin_return():
    work = current_work()
    start_return(db.session, work, form_value("number"))
    return _to_screen("return")


@bp.post("/return/lines/<int:line_id>")
@seller
def return_quantity(line_id):
    work = current_work()
    milli = parse_quantity(form_value("quantity") or "0", form_value("unit") or "unit", zero_allowed=True)
    return_line(db.session, work, line_id, milli)
    return answer(work, panel="return")


@bp.post("/return/abandon")
@seller
def leave_return():
    work = current_work()
    abandon_return(db.session, work)
    return _to_screen()


@bp.post("/refund")
@seller
def pay_back():
    work = current_work()
    ticket = refund(db.session, work, form_value("method"), form_value("person"), form_value("password"))
    session["last_receipt"] = ticket.uuid
    return _to_screen("receipt")
