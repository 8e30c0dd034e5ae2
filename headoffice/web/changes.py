"""What every head office form does with a change: the service call, and on a refusal the
page again with its message and what was typed (nothing stored), otherwise a message and back
to the page. The services themselves load, check, log and move the catalogue version."""

from flask import flash, redirect, render_template, request

from headoffice.extensions import db
from headoffice.refusals import Refused
from headoffice.web import render_refused


def list_page(template: str, rows, refused: Refused | None = None, **context):
    """A list with its add form: after a refusal, the message and the form as typed."""
    if refused:
        return render_refused(template, refused, rows=rows, form=request.form, **context)
    return render_template(template, rows=rows, form={}, **context)


def apply_change(change, page, done: str, back_to: str):
    """`change()` reads the form and calls one service; a Refused (bad input, no right, a
    clash) gives `page(refused)` with nothing kept, otherwise `done` is shown on `back_to`."""
    try:
        change()
    except Refused as refused:
        db.session.rollback()
        return page(refused)
    flash(done, "info")
    return redirect(back_to)
