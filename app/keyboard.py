"""The on-screen keyboard belongs to the kiosk: its touchscreen has no keyboard but the
scanner. Tablets on the shop Wi-Fi have their own, so pages they get carry none (one less
thing to cover their screen). The side is the TCP peer, as for sessions (app/origin.py)."""

from flask import current_app, render_template, request
from flask_babel import get_locale
from markupsafe import Markup

from app.origin import origin_of


def on_screen_keyboard() -> bool:
    return origin_of(request.remote_addr) == "loopback"


def keyboard_markup() -> Markup:
    """The keyboard's ~180 keys, drawn once per language and kept: every full page of the kiosk
    carries them, and they only change with the language."""
    drawn = current_app.extensions.setdefault("on_screen_keyboard", {})
    locale = str(get_locale() or "fr")
    if locale not in drawn:
        drawn[locale] = Markup(render_template("_keyboard.html"))
    return drawn[locale]


def init_keyboard(app) -> None:
    # Globals, called by base.html only: partials (a scan, Valider) pay nothing for them.
    app.add_template_global(on_screen_keyboard, "on_screen_keyboard")
    app.add_template_global(keyboard_markup, "keyboard_markup")
