"""The session cookie stays small whatever is posted: browsers refuse requests whose headers
grow past a few kilobytes (HTTP 431), and the till would be stuck until the cookie expires.

What the app keeps in the session is known and short (the seller, the language, the closing
page's counts — only its own fields, see closing/forms.py — the person signed in to view).
The one open-ended thing is flashed messages, which may quote what was typed and pile up
when a screen posts again and again without showing the page between: only the last few
are kept, each cut to a length a screen shows anyway."""

from flask import session

MAX_FLASHES = 4
MAX_FLASH_LENGTH = 300


def bound_flashes(response):
    flashes = session.get("_flashes")
    if flashes and (len(flashes) > MAX_FLASHES or any(len(m) > MAX_FLASH_LENGTH for _, m in flashes)):
        session["_flashes"] = [
            (category, message if len(message) <= MAX_FLASH_LENGTH else message[: MAX_FLASH_LENGTH - 1] + "…")
            for category, message in flashes[-MAX_FLASHES:]
        ]
    return response


def init_session_bounds(app) -> None:
    app.after_request(bound_flashes)
