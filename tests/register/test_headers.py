"""What every response tells the browser, where a `next=` may lead, and a session cookie that
stays small whatever is posted (docs/access.md)."""

import random
import re
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from app.access import public
from app.headers import SECURITY_HEADERS
from tests.support.screens import Kiosk, read
from tests.support.shop import anonymous, walk
from tests.support.till import open_till

COOKIE_BOUND = 2048  # bytes: far below the ~4 kB a browser keeps, and the 8 kB that gives 431


def carries_the_headers(response, where=""):
    for name, value in SECURITY_HEADERS.items():
        assert response.headers.get(name) == value, (where, name, response.headers.get(name))
    csp = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "frame-ancestors 'none'" in csp
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp


def every_answer(app, shop):
    """Each rule of the URL map, plain and HTMX, for nobody and for a seller; then errors of
    every kind: unknown page, wrong method, expired form, a refusal, JSON."""
    seller, rows = shop
    screen = anonymous(app)
    for client in (screen.client, seller.client):
        for endpoint, method, url in walk(app, rows):
            for headers in ({}, {"HX-Request": "true"}):
                response = client.open(url, method=method, headers=headers)
                response.close()
                yield response, f"{method} {url} {headers}"
    for response in (
        screen.client.get("/nope"),
        screen.client.get("/nope", headers={"HX-Request": "true"}),
        screen.client.get("/api/nope"),
        screen.client.put("/"),
        screen.client.post("/open", data={}),
        screen.client.get("/healthz"),
    ):
        yield response, response.status


def test_every_response_carries_the_security_headers(app, shop):
    for response, where in every_answer(app, shop):
        carries_the_headers(response, where)


def test_an_unexpected_error_carries_them_too(app):
    app.config["PROPAGATE_EXCEPTIONS"] = False
    app.add_url_rule("/panne", "panne", public("test")(lambda: 1 / 0))
    response = app.test_client().get("/panne")
    assert response.status_code == 500
    carries_the_headers(response)


def varies_on_hx_request(response, where=""):
    vary = [value.strip().lower() for value in response.headers.get("Vary", "").split(",")]
    if response.mimetype == "text/html":
        assert vary.count("hx-request") == 1, (where, response.headers.get("Vary"))
    else:
        assert "hx-request" not in vary, (where, response.headers.get("Vary"))


def test_every_html_answer_says_it_differs_for_htmx(app, shop):
    """Pages, fragments, refusals, 303s and HX-Redirects all depend on HX-Request: each says
    so once (one after_request hook, never by hand), so a cache never hands a fragment for a
    page; JSON and static files are the same either way and do not."""
    for response, where in every_answer(app, shop):
        varies_on_hx_request(response, where)


# The screen each action's form is on, as a person sees it: refused (here, no code typed), a
# plain form comes back there with the message.
SCREEN_OF_ACTION = {
    "access.sign_in": "/",
    "opening.open_": "/",
    "sync.import_": "/",
    "sync.export": "/",
    "register.connect": "/caisse",
    "register.close": "/caisse",
    "register.unlock": "/caisse/blocages",
    "register.add_movement": "/caisse/mouvements",
    "register.add_document": "/caisse/documents/nouveau",
    "register.cancel_card": "/caisse/transactions",
    "register.manual_refund": "/caisse/transactions/remboursement",
    "printing.reprint": "/imprimante?retour=/vente",
    "printing.drawer": "/imprimante?retour=/vente",
    "closing.validate": "/fermeture",
    "closing.cancel_ticket": "/fermeture",
    "closing.reprint": "/journees",
}


def test_a_refused_form_comes_back_to_the_screen_it_was_posted_from(app, shop):
    seller, rows = shop
    screen = anonymous(app)
    token = screen.page.inputs["csrf_token"]["value"]
    came_back = {}
    for endpoint, method, url in walk(app, rows):
        if endpoint in SCREEN_OF_ACTION and method == "POST":
            response = screen.client.post(url, data={"csrf_token": token, "retour": "/vente"})
            assert response.status_code == 303, endpoint
            came_back[endpoint] = response.headers["Location"]
    assert came_back == SCREEN_OF_ACTION


def test_the_vendored_htmx_carries_its_version_in_its_name(app, client):
    """A new htmx is a new file name: no browser or tablet keeps running the old one."""
    files = list((Path(app.static_folder) / "vendor").glob("htmx*.js"))
    assert len(files) == 1, files
    version = re.search(r'version:"(\d+\.\d+\.\d+)"', files[0].read_text()).group(1)
    assert files[0].name == f"htmx-{version}.min.js"
    page = client.get("/").get_data(as_text=True)
    assert f'src="/static/vendor/htmx-{version}.min.js"' in page
    served = client.get(f"/static/vendor/htmx-{version}.min.js")
    assert served.status_code == 200
    served.close()


def test_pages_carry_no_inline_script_style_or_handler(app, shop):
    """What the policy would refuse in the browser, looked for in every page the walk draws
    (tests/browser/test_csp_walk.py runs the screens with the policy on)."""
    seller, rows = shop
    manager = anonymous(app)  # a manager signed in sees the pages behind the sign-in form
    manager.post("/entrer", person="RESP01", password="1234", next="/")
    for _ in range(5):  # someone locked out, so Personnes bloquées draws its unlock form
        manager.post("/caisse/connect", htmx=True, person="VEND01", password="0000")
    manager.open("/caisse/blocages")
    assert 'id="unlock-form"' in manager.response.get_data(as_text=True)
    for client in (anonymous(app).client, seller.client, manager.client):
        for endpoint, method, url in walk(app, rows):
            if method != "GET" or endpoint == "static":
                continue
            html = client.get(url, follow_redirects=True).get_data(as_text=True)
            assert not re.search(r"<script(?![^>]*\bsrc=)", html), url
            assert not re.search(r"\s(style|hx-on[:\w-]*|on[a-z]+)=", html), url
            assert "<style" not in html and "javascript:" not in html, url


HOSTILE_NEXT = [
    "//evil.example/",
    "/\\evil.example",
    "\\\\evil.example",
    "https://evil.example/",
    "http:/evil.example",
    "/\t/evil.example",
    "/\n/evil.example",
    "javascript:alert(1)",
    " //evil.example",
    "///evil.example",
    "/%0a/evil",
    "evil.example",
    "",
]


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_the_language_switch_never_leaves_the_box(client, target):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/lang", follow=False, lang="en", next=target)
    stays_on_the_box(screen.response)


def stays_on_the_box(response):
    location = response.headers["Location"]
    parts = urlsplit(location)
    assert response.status_code == 303
    assert not parts.netloc and not parts.scheme and location.startswith("/"), location
    assert not location.startswith("//") and "\\" not in location and not re.search(r"[\x00-\x20]", location)


def test_the_language_switch_comes_back_to_the_page(client):
    screen = Kiosk(client)
    screen.open("/")
    screen.post("/lang", follow=False, lang="en", next="/caisse?panel=pay")
    assert screen.response.headers["Location"] == "/caisse?panel=pay"


@pytest.mark.parametrize("target", HOSTILE_NEXT)
def test_signing_in_never_leaves_the_box(app, shop, target):
    screen = anonymous(app)
    screen.post("/entrer", follow=False, person="RESP01", password="1234", next=target)
    stays_on_the_box(screen.response)


def cookie_size(client) -> int:
    cookie = client.get_cookie("session")
    return len(cookie.value) if cookie else 0


def unknown_fields(count=500) -> dict:
    # Names the closing page used to keep (its prefixes), and others.
    prefixes = ("counted_", "items_", "pieces_", "x")
    noise = random.Random(count)  # values that do not compress away in the signed cookie
    return {f"{prefixes[i % 4]}{i}zzzz": f"{noise.getrandbits(128):040d}" for i in range(count)}


def test_the_blind_count_keeps_only_its_own_fields(app, client, till):
    manager = open_till(app, client)
    manager.open("/caisse")
    manager.post("/caisse/close", person="RESP01", password="1234")
    assert manager.response.request.path == "/fermeture"
    before = cookie_size(manager.client)
    manager.post("/fermeture/comparer", counted_ESP="150,00", pieces_1000="3", **unknown_fields())
    assert manager.response.request.path == "/fermeture"
    assert cookie_size(manager.client) < before + 120, (before, cookie_size(manager.client))
    # What was typed in the page's own fields stands.
    assert manager.page.inputs["counted_ESP"]["value"] == "150,00"


def test_posting_anything_anywhere_never_grows_the_cookie_past_a_bound(app, shop):
    seller, rows = shop
    manager = anonymous(app)
    manager.sign_in("/journees")
    for screen in (anonymous(app), seller, manager):
        token = screen.page.inputs["csrf_token"]["value"]
        for endpoint, method, url in walk(app, rows):
            if method != "POST" or endpoint in ("selling.disconnect", "access.sign_out"):
                continue
            for _ in range(3):  # posted again and again, the answers never shown
                screen.client.post(url, data={"csrf_token": token, **unknown_fields()}).close()
                assert cookie_size(screen.client) < COOKIE_BOUND, (url, cookie_size(screen.client))


def test_flashed_messages_are_few_and_short(app, client, till):
    screen = open_till(app, client)
    screen.open("/vente")
    token = screen.page.inputs["csrf_token"]["value"]
    for _ in range(20):
        client.post("/vente/pay", data={"csrf_token": token, "method": "CB", "amount": "9" * 3000})
    assert cookie_size(client) < COOKIE_BOUND
    page = read(client.get("/vente").get_data(as_text=True))
    assert 1 <= len(page.messages) <= 4 and all(len(m) <= 300 for m in page.messages)


def test_head_office_answers_carry_the_headers_too(headoffice_app):
    client = headoffice_app.test_client()
    for response in (
        client.get("/api/v1/registers"),
        client.get("/nope"),
        client.post("/api/v1/exports", data="x"),
    ):
        assert response.headers["X-Content-Type-Options"] == "nosniff", response.status
        assert response.headers["X-Frame-Options"] == "DENY"
        assert "frame-ancestors 'none'" in response.headers["Content-Security-Policy"]
        # The API sends no Referer at all; head office's screens keep it on their own site,
        # which Flask-WTF's CSRF check reads over HTTPS (headoffice/headers.py).
        api = response.request.path.startswith("/api/")
        assert response.headers["Referrer-Policy"] == ("no-referrer" if api else "same-origin")
