"""The on-screen keyboard belongs to the kiosk: its touchscreen has no keyboard but the
scanner. Tablets on the shop Wi-Fi have their own, so pages they get carry none (one less
thing to cover their screen). The side is the TCP peer, as for sessions (app/origin.py)."""

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from app.origin import origin_of


def on_screen_keyboard() -> bool:
    return origin_of(request.remote_addr) == "loopback"


def drawn_once(template: str) -> Markup:
    """Markup that depends on nothing but the language (the keyboard's ~180 keys, the numeric
    keypad of every form), drawn once per language and kept: every page that carries it
    would otherwise draw it again, key by key."""
    drawn = current_app.extensions.setdefault("drawn_once", {})
    key = (template, str(get_locale() or "fr"))
    if key not in drawn:
        drawn[key] = Markup(render_template(template))
    return drawn[key]


def keyboard_markup() -> Markup:
    return drawn_once("_keyboard.html")


def init_keyboard(app) -> None:
    # Globals, called by base.html only: partials (a scan, Valider) pay nothing for them.
    app.add_template_global(on_screen_keyboard, "on_screen_keyboard")
    app.add_template_global(keyboard_markup, "keyboard_markup")
    app.add_template_global(drawn_once, "drawn_once")
