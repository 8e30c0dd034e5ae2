"""The headers every response of the box carries (pages, fragments, errors, static files,
JSON): what the browser may run, load and frame.

The policy is one the app satisfies: scripts and styles come only from /static (no inline
<script>, no style="", no hx-on — htmx's own indicator <style> is turned off in base.html's
htmx-config and lives in comptoir.css), nothing may frame a page of the till, and the
Referer stays on the box (Flask-WTF checks it over HTTPS, so it is not dropped altogether).
"""

CONTENT_SECURITY_POLICY = "; ".join(
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
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}


def add_security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


def init_headers(app) -> None:
    app.after_request(add_security_headers)
