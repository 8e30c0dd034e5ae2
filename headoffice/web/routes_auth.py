"""Signing in and out, the language, and the first page."""

from urllib.parse import urlsplit

from flask import flash, g, redirect, render_template, request, session, url_for
from flask_babel import gettext as _

from headoffice.extensions import db
from headoffice.lookups import shop_codes
from headoffice.people import authenticate
from headoffice.refusals import Refused
from headoffice.web import bp, render_refused
from headoffice.web.signin import end_session, start_session


def _safe_next(target: str | None) -> str | None:
    """Only a path of this site: a sign-in link must not send the person elsewhere."""
    if not target:
        return None
    parts = urlsplit(target)
    if parts.scheme or parts.netloc or not parts.path.startswith("/") or target.startswith("//"):
        return None
    return target


@bp.route("/connexion", methods=["GET", "POST"])
def sign_in():
    if request.method == "GET":
        return render_template("sign_in.html")
    try:
        user = authenticate(
            db.session, request.form.get("login", "")[:64], request.form.get("password", "")[:256]
        )
    except Refused as refused:
        return render_refused("sign_in.html", refused)
    start_session(user)
    return redirect(_safe_next(request.args.get("next")) or url_for("web.home"))


@bp.post("/deconnexion")
def sign_out():
    end_session()
    flash(_("Vous êtes déconnecté."), "info")
    return redirect(url_for("web.sign_in"))


@bp.post("/langue")
def language():
    chosen = request.form.get("lang")
    if chosen in ("fr", "en"):
        session["lang"] = chosen
    return redirect(_safe_next(request.form.get("back")) or url_for("web.home"))


@bp.get("/")
def home():
    shops = shop_codes()
    if len(shops) == 1:
        return redirect(url_for("web.registers", shop=shops[0]))
    return render_template("shops.html", shops=shops, user=g.user)
