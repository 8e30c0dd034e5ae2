"""The on-screen keyboard belongs to the kiosk: its touchscreen has no keyboard but the
scanner. Tablets on the shop Wi-Fi have their own, so pages they get carry none (one less
thing to cover their screen). The side is the TCP peer, as for sessions (app/origin.py)."""
from flask import request

from app.origin import origin_of


def on_screen_keyboard() -> bool:
    return origin_of(request.remote_addr) == "loopback"


def init_keyboard(app) -> None:
    # A global, called by base.html only: partials (a scan, Valider) pay nothing for it.
    app.add_template_global(on_screen_keyboard, "on_screen_keyboard")
