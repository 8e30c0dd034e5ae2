"""What every screen shares: the register state for the status strip, the page rendering,
the answer to a finished action (a 303, or HX-Redirect for HTMX), and the rest of the HTMX
toolkit — `Vary: HX-Request` on every HTML answer, and answers sent somewhere else than the
request targeted (`into_messages`, `into_modal`)."""

from flask import make_response, redirect, render_template, request

from app.access import viewer
from app.extensions import db
from app.redirects import local_path
from app.services.lifecycle import connected_names, screen_token
from app.services.printing import printer_status
from app.services.screen_state import screen_state


def status_context(state) -> dict:
    return {
        "state": state,
        "screen_token": screen_token(state),
        "connected": connected_names(db.session, state.open_day) if state.open_day else [],
        "shop_timezone": state.timezone,
        "printer": printer_status(db.session),
        "viewer": viewer(),
    }


def render_screen(template: str, state=None, status=200, **context):
    """Render a page (or a partial) with the status strip's data and the screen token."""
    state = state or screen_state(db.session)
    html = render_template(template, **status_context(state), **context)
    db.session.rollback()  # reading is done: release the database before sending
    return make_response(html, status)


def render_partial(template: str, status=200, **context):
    """An HTMX fragment that needs no status strip (and so no register state)."""
    html = render_template(template, **context)
    db.session.rollback()
    return make_response(html, status)


def go_to(url: str):
    """After an action: HTMX follows HX-Redirect, a plain form follows the 303."""
    if request.htmx:
        response = make_response("", 200)
        response.headers["HX-Redirect"] = url
        return response
    return redirect(url, code=303)


def into_messages(response):
    """Whatever the request targeted, the answer goes into the page's message area."""
    return _retarget(response, "#messages")


def into_modal(response):
    """Whatever the request targeted, the answer opens as a window over the page."""
    return _retarget(response, "#modal")


def _retarget(response, target: str):
    # Set on the response itself: htmx-flask's make_response(reswap=...) rejects some values.
    response.headers["HX-Retarget"] = target
    response.headers["HX-Reswap"] = "innerHTML"
    return response


def vary_on_hx_request(response):
    """after_request, for every response: an HTML answer is a page or a fragment depending on
    the HX-Request header (or a 303 rather than an HX-Redirect), so a cache must not give one
    for the other. JSON and static files are the same either way."""
    if response.mimetype == "text/html":
        response.vary.add("HX-Request")
    return response


def back_path(default: str) -> str:
    """Where a screen reached from anywhere (the printer, from the status strip) goes back
    to: the `retour` it was given, if it is a path on this site, else `default`."""
    return local_path((request.values.get("retour") or "").strip()) or default


def form_value(name: str) -> str:
    return (request.form.get(name) or "").strip()
