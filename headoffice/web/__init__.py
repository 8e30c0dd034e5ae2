"""Head office's screens for people (docs/headoffice.md, « Écrans du siège »): sign-in with a
role, the registers dashboard and the Z archive, and managing what the registers import.
Beside the JSON API, in the same app and database; Flask + HTMX 2 + Babel, French first.

Routes are thin: read the form (web/forms.py), call one service (headoffice/manage, people,
dashboard, z_archive), render. A refusal (headoffice.refusals.Refused) is shown on the same
page with its status; the signed-in check and each route's right are here and in signin.py."""

from dataclasses import dataclass

from flask import (
    Blueprint,
    Flask,
    abort,
    current_app,
    flash,
    g,
    has_request_context,
    redirect,
    render_template,
    request,
    session,
    url_for,
)
from flask_babel import gettext as _
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException
from werkzeug.routing import IntegerConverter

from headoffice.extensions import babel, csrf
from headoffice.lookups import find_shop
from headoffice.refusals import Refused
from headoffice.web.signin import is_htmx, session_user

bp = Blueprint("web", __name__)

# Reachable without a session: the sign-in form, the language switch, static files.
OPEN_ENDPOINTS = {"web.sign_in", "web.language"}


def _select_locale() -> str:
    """The person's choice (the language button), French otherwise and at the console."""
    if not has_request_context():
        return "fr"
    return session.get("lang") if session.get("lang") in ("fr", "en") else "fr"


def to_sign_in(expired: bool):
    if expired:
        flash(_("Votre session a expiré : identifiez-vous à nouveau."), "error")
    target = url_for("web.sign_in", next=request.full_path if request.method == "GET" else None)
    if is_htmx():
        response = redirect(target)
        response.headers["HX-Redirect"] = target
        return response
    return redirect(target)


@dataclass(frozen=True)
class ShopRef:
    """The shop of the URL, as plain values (a write transaction expires loaded rows)."""

    id: int
    code: str
    name: str
    timezone: str


@bp.before_request
def _signed_in():
    user, expired = session_user()
    g.user = user
    if user is None and request.endpoint not in OPEN_ENDPOINTS:
        return to_sign_in(expired)
    code = (request.view_args or {}).get("shop")
    if code is not None:  # after the sign-in check: a stranger learns no shop's code
        shop = find_shop(code)
        if shop is None:
            abort(404, _("Boutique inconnue : %(code)s.", code=code[:32]))
        g.shop = ShopRef(shop.id, shop.code, shop.name, shop.timezone)
        session["shop"] = shop.code
    # The menu of a page outside any shop (the log, the users) leads back to the last one.
    g.nav_shop = g.shop.code if g.get("shop") else session.get("shop")
    return None


@bp.url_defaults
def _shop_in_urls(endpoint, values):
    if (
        "shop" not in values
        and g.get("shop") is not None
        and current_app.url_map.is_endpoint_expecting(endpoint, "shop")
    ):
        values["shop"] = g.shop.code


def message_page(message: str, status: int):
    """A refusal or an error as a page; to an HTMX request, as the message alone, swapped
    into the page's message area (not into the row or list the request aimed at)."""
    if is_htmx():
        response = current_app.make_response((render_template("_message.html", message=message), status))
        response.headers["HX-Retarget"] = "#messages"
        response.headers["HX-Reswap"] = "innerHTML"
        return response
    return render_template("error.html", message=message), status


def error_page(exc: HTTPException):
    """Werkzeug's errors on the screens' paths: the same page as a refusal."""
    return message_page(exc.description, exc.code)


class IdConverter(IntegerConverter):
    """An id a database column can hold; a larger number is a 404, not an overflow."""

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("max", 2**62)
        super().__init__(map, *args, **kwargs)


def render_refused(template: str, refused: Refused, **context):
    return render_template(template, error=refused.message, **context), refused.status


def init_web(app: Flask) -> None:
    from headoffice.web import (  # noqa: F401
        filters,
        routes_auth,
        routes_catalog,
        routes_dashboard,
        routes_people,
        routes_summary,
    )

    app.url_map.converters["int"] = IdConverter  # before the rules: every <int:…> is bounded
    babel.init_app(app, locale_selector=_select_locale)
    csrf.init_app(app)
    app.register_blueprint(bp)
    filters.register(app)

    @app.errorhandler(CSRFError)
    def _csrf_error(error: CSRFError):
        user, expired = session_user()
        if user is None:  # the session ran out while the form was open
            return to_sign_in(True)
        return message_page(
            _("Le formulaire a expiré : rechargez la page et recommencez ; rien n'a été modifié."), 400
        )

    @app.errorhandler(Refused)
    def _refused(refused: Refused):
        return message_page(refused.message, refused.status)
