"""What a walk does in the browser, as a person does it: the two screen sizes, the register
served for real, the keypad, signing in, paying. The fixtures are in tests/browser/conftest.py."""

import threading
from pathlib import Path

import pytest
from playwright.sync_api import Error as PlaywrightError
from playwright.sync_api import TimeoutError as PlaywrightTimeout
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app.extensions import db

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
KIOSK = {"width": 800, "height": 480}
TABLET = {"width": 1024, "height": 768}
# A walk runs on the kiosk and on a manager's tablet alike.
both_sizes = pytest.mark.parametrize("viewport", [KIOSK, TABLET], ids=["kiosk", "tablet"])


def save_screenshot(page, path, **options) -> None:
    """A screenshot for a reviewer (an artifact, never an assertion). Headless Chromium now
    and then answers « Unable to capture screenshot » while it is still painting: wait for the
    page to settle and take it once more."""
    try:
        page.screenshot(path=str(path), **options)
    except PlaywrightError as error:
        if "Unable to capture screenshot" not in str(error):
            raise
        page.wait_for_load_state("networkidle")
        page.screenshot(path=str(path), **options)


def _whole_answers(app):
    """The app as the development server should call it: each answer read whole and closed
    at once. When a browser hangs up in the middle of a file (a page left while its script
    loads), werkzeug's server can stop before closing it, and the unclosed file then fails
    whichever test is running when it is collected. Comptoir streams nothing."""

    def serve(environ, start_response):
        answer = app(environ, start_response)
        try:
            return [b"".join(answer)]
        finally:
            if hasattr(answer, "close"):
                answer.close()

    return serve


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, _whole_answers(app), threaded=True)
        self.url = f"http://127.0.0.1:{self.server.server_port}"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()

    def run(self, work):
        """Do something through the services, as another device would."""
        with self.app.app_context():
            try:
                return work()
            finally:
                db.session.remove()


_WHOLE_IN_WINDOW = """(e) => { const r = e.getBoundingClientRect();
    return r.width > 0 && r.left >= 0 && r.top >= 0
        && r.right <= window.innerWidth + 0.5 && r.bottom <= window.innerHeight + 0.5; }"""


def in_viewport(page, locator, settle_ms: int = 3000) -> bool:
    """Whole inside the window, as the person sees it without scrolling — once the page has
    stopped moving: a swap, the keypad opening or a field scrolled to can put it elsewhere for
    a moment, and a loaded machine makes that moment long. Waits on the condition (up to
    `settle_ms`), never on a clock."""
    try:
        page.wait_for_function(
            _WHOLE_IN_WINDOW, arg=locator.element_handle(timeout=settle_ms), timeout=settle_ms
        )
        return True
    except PlaywrightTimeout:
        return False


def keys(page, text, within=None):
    """Tap the on-screen keypad, as a person types a code or an amount."""
    area = page.locator(within) if within else page
    for key in text:
        area.get_by_role("button", name=key, exact=True).first.tap()


def sign_in(page, person, password, form="#register-form", person_label="Vendeur"):
    """Choose a person and type their code on the keypad of one form."""
    scope = page.locator(form)
    scope.get_by_label(person_label, exact=True).select_option(person)
    scope.get_by_label("Mot de passe", exact=True).tap()
    keys(page, password, form)


def identify(page, person="RESP01", password="1234"):
    """A page that needs a right shows the sign-in form: the person chooses themself, types
    their code and taps S'identifier."""
    sign_in(page, person, password, form="#sign-in-form", person_label="Personne")
    page.get_by_role("button", name="S'identifier").tap()


def connect_seller(page, url, person="VEND01", password="1111"):
    """From the open register page to the selling screen, the scan field ready."""
    page.goto(url + "/caisse")
    sign_in(page, person, password)
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    # Autofocus comes before the deferred scripts: a burst typed earlier would be posted by
    # the plain form (a page load) instead of selling.js's queue.
    page.wait_for_load_state("domcontentloaded")


def imported_till(live, names, *, opened=True) -> dict[str, str]:
    """CAISSE01 imported from head office (and opened with 150,00 €): the barcodes of the
    articles a walk scans, by name."""
    from sqlalchemy import select

    from app.models import Barcode, Product
    from app.services.lifecycle import open_register
    from app.sync.client import HeadOfficeClient
    from app.sync.importing import import_register

    def work():
        with HeadOfficeClient.from_config(live.app.config) as client:
            import_register(db.session, client, "CAISSE01", "VEND01", "1111")
        if opened:
            open_register(db.session, "RESP01", "1234", 15000)
        return {
            name: db.session.scalars(select(Barcode.code).join(Product).where(Product.name == name)).first()
            for name in names
        }

    return live.run(work)


def manager_code(page, label):
    """The manager picks themself in the panel's person list and types their code."""
    side = page.locator("#side")
    side.get_by_label(label, exact=True).select_option("RESP01")
    side.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#side")


def pay_all_and_valider(page, method):
    page.get_by_role("link", name="Payer").tap()
    page.locator("#side").get_by_text(method, exact=True).tap()
    page.get_by_role("button", name="Encaisser").tap()
    page.get_by_role("button", name="Valider").tap()


def return_articles(page, number: str, quantity: str):
    """Retour → the original ticket's number on the keypad → how many come back."""
    page.get_by_role("link", name="Retour", exact=True).tap()
    page.get_by_label("N° du ticket d'origine").tap()
    keys(page, number, "#side")
    page.get_by_role("button", name="Chercher le ticket").tap()
    expect(page.locator("#side")).to_contain_text(f"Retour du ticket n° {number}")
    page.get_by_label("Quantité rendue").fill(quantity)
    page.get_by_role("button", name="Rendre").tap()


def tap_keys(page, text):
    for key in text:
        page.get_by_role("button", name=key, exact=True).tap()


def type_on_keypad(page, label, text):
    page.get_by_label(label, exact=True).tap()
    tap_keys(page, text)
