"""What every head office response tells a browser that might land on it: nothing here is
a page (JSON only), so nothing may run, load, frame or be sniffed, and no Referer leaves."""

SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
}


def add_security_headers(response):
    response.headers.update(SECURITY_HEADERS)
    return response


def init_headers(app) -> None:
    app.after_request(add_security_headers)
