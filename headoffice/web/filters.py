"""How the screens show money, times, rates, roles and rights: only here, at display."""

from zoneinfo import ZoneInfo

from flask import g
from flask_babel import get_locale
from flask_babel import lazy_gettext as _l
from flask_wtf.csrf import generate_csrf

from headoffice.rights import Right
from headoffice.roles import Can, Role, allows

ROLE_LABELS = {
    Role.VIEWER: _l("Lecteur"),
    Role.MANAGER: _l("Responsable"),
    Role.ADMINISTRATOR: _l("Administrateur"),
}
RIGHT_LABELS = {
    Right.IMPORT: _l("importer"),
    Right.OPEN: _l("ouvrir la caisse"),
    Right.CLOSE: _l("fermer la caisse"),
    Right.EXPORT: _l("exporter"),
    Right.FORCE_CLOSE: _l("forcer la fermeture"),
    Right.ACCEPT_DIFFERENCE: _l("accepter un écart de caisse"),
    Right.CASH_MOVEMENT: _l("entrées et sorties d'espèces"),
    Right.SELL: _l("vendre"),
    Right.DISCOUNT: _l("remises"),
    Right.CANCEL_TICKET: _l("annuler un ticket"),
    Right.REFUND: _l("rembourser"),
    Right.REPRINT: _l("réimprimer"),
    Right.OPEN_DRAWER: _l("ouvrir le tiroir"),
    Right.MANAGE: _l("gérer"),
}
FLAG_LABELS = {
    "gives_change": _l("rend la monnaie"),
    "counted_in_drawer": _l("compté dans le tiroir"),
    "goes_to_safe": _l("va au coffre"),
    "counted_as_items": _l("compté en nombre de pièces"),
    "store_credit": _l("avoir de la boutique"),
}


def euros(cents) -> str:
    if cents is None:
        return ""
    sign = "-" if cents < 0 else ""
    whole, part = divmod(abs(int(cents)), 100)
    grouped = f"{whole:,}".replace(",", "\u202f")
    return f"{sign}{grouped},{part:02d}\u00a0€"


def euros_input(cents) -> str:
    whole, part = divmod(int(cents or 0), 100)
    return f"{whole},{part:02d}"


def percent(bp) -> str:
    return f"{bp / 100:g}".replace(".", ",") + "\u00a0%"


def figure(value, key: str) -> str:
    """One figure of the shop summary: an amount in euros, a percentage, a ratio to two
    decimals, a count; — when it divides by zero (the summary's None)."""
    if value is None:
        return "—"
    if key.endswith("_cents"):
        return euros(value)
    if isinstance(value, float):
        text = f"{value:.2f}".replace(".", ",")
        return f"{text}\u00a0%" if key.endswith("_percent") else text
    return str(value)


def localtime(moment, timezone="Europe/Paris", fmt="%d/%m/%Y %H:%M"):
    if moment is None:
        return ""
    if isinstance(moment, str):
        from headoffice.timeutil import parse_rfc3339

        moment = parse_rfc3339(moment)
    return moment.astimezone(ZoneInfo(timezone or "Europe/Paris")).strftime(fmt)


def can(what: str) -> bool:
    user = g.get("user")
    return user is not None and allows(user.role, Can(what))


def register(app) -> None:
    app.add_template_filter(euros, "euros")
    app.add_template_filter(euros_input, "euros_input")
    app.add_template_filter(percent, "percent")
    app.add_template_filter(lambda bp: f"{bp / 100:g}".replace(".", ","), "rate_input")
    app.add_template_filter(localtime, "localtime")
    app.add_template_filter(figure, "figure")
    app.add_template_global(can, "can")
    app.add_template_global(generate_csrf, "csrf_token")
    app.add_template_global(lambda: str(get_locale() or "fr"), "current_locale")
    app.add_template_global(lambda role: ROLE_LABELS.get(role, role), "role_label")
    app.add_template_global(lambda right: RIGHT_LABELS.get(right, right), "right_label")
    app.add_template_global(lambda flag: FLAG_LABELS.get(flag, flag), "flag_label")
    app.add_template_global(list(Right), "all_rights")
    app.add_template_global(list(Role), "all_roles")
    app.add_template_global(list(FLAG_LABELS), "method_flags")
