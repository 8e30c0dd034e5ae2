"""Intégrité: a manager sees each signed chain (how many records, the last number) and the
last check, and checks every signature now (docs/integrity.md). A broken chain is named
record by record and journaled as an integrity failure (NF525 code 90)."""

from flask import url_for

from app.access import needs, signed_in_person
from app.blueprints.integrity import bp
from app.blueprints.screens import go_to, render_screen
from app.extensions import db
from app.services.integrity import check_now, integrity_overview
from app.states import Right


@bp.get("")
@needs(Right.MANAGE)  # the register's fiscal chains: a manager signs in first
def page():
    return render_screen("integrity/page.html", overview=integrity_overview(db.session, signed_in_person()))


@bp.post("")
@needs(Right.MANAGE)
def check():
    check_now(db.session, signed_in_person())
    return go_to(
        url_for("integrity.page")
    )  # the result is journaled: the page shows it, a reload checks nothing
