"""What every head office response tells a browser that might land on it.

The API's answers are JSON only, so nothing may run, load, frame or be sniffed, and no
Referer leaves. The screens (headoffice/web) load scripts and styles from /static only (no
inline script or style: htmx's indicator style is turned off in base.html), post forms to
head office only, and are never framed."""

from flask import request

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}

SCREEN_HEADERS = {
    **SECURITY_HEADERS,
    "Content-Security-Policy": "; ".join(
        (
            "default-src 'self'",
            "script-src 'self'",
            "style-src 'self'",
            "img-src 'self'",
            "connect-src 'self'",
            "object-src 'none'",
            "base-uri 'none'",
            "form-action 'self'",
            "frame-ancestors 'none'",
        )
    ),
    # Flask-WTF checks the Referer over HTTPS: it must not be dropped, only kept on this site.
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response):
    response.headers.update(SECURITY_HEADERS if request.path.startswith("/api/") else SCREEN_HEADERS)
    return response


def init_headers(app) -> None:
    app.after_request(add_security_headers)
