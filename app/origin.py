"""A web session belongs to the side it was opened on: the kiosk's loopback or the shop LAN.

The kiosk's Chromium talks to 127.0.0.1 over plain HTTP, tablets come from the Wi-Fi over
HTTPS (a second gunicorn, kiosk/gunicorn.conf.py), where the session cookie is Secure. A session cookie
copied off the kiosk (or a tablet's cookie presented on loopback) loses everything it
carried — the connected seller, the CSRF token, the language — and the attempt is
journaled. `request.remote_addr` is the TCP peer because nothing sits in front of gunicorn;
putting a reverse proxy there would make every client look like loopback, and would need
ProxyFix with the proxy's address to keep this meaningful.
"""

import ipaddress

from flask import request, session
from flask.sessions import SecureCookieSessionInterface

ORIGIN_KEY = "_origin"


def origin_of(address: str | None) -> str:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return "lan"  # not an address we can vouch for: never the kiosk
    if ip.version == 6 and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return "loopback" if ip.is_loopback else "lan"


def bind_session_to_origin():
    origin = origin_of(request.remote_addr)
    bound = session.get(ORIGIN_KEY)
    if bound == origin:
        return
    if bound is not None:
        _journal_replay(bound, origin, bool(session.get("seller")))
        session.clear()
    session[ORIGIN_KEY] = origin


def _journal_replay(bound: str, origin: str, had_seller: bool) -> None:
    from app.extensions import db
    from app.services.journal import record

    try:
        record(
            db.session,
            "session_origin",
            outcome="refused",
            reason="session ouverte d'un autre côté (kiosque / réseau) : effacée",
            opened_from=bound,
            presented_from=origin,
            address=request.remote_addr,
            had_seller=had_seller,
        )
        db.session.commit()
    except Exception:  # noqa: BLE001 — the session is cleared whether or not this is written
        db.session.rollback()


class SideSessionInterface(SecureCookieSessionInterface):
    """The tablets' side is served over HTTPS (comptoir-web-lan.service): its session cookie
    is Secure, so a tablet never sends it over plain HTTP. The kiosk's loopback side is plain
    HTTP and keeps an ordinary cookie."""

    def get_cookie_secure(self, app) -> bool:
        return request.is_secure or super().get_cookie_secure(app)


def init_origin(app) -> None:
    app.session_interface = SideSessionInterface()
    app.before_request(bind_session_to_origin)
