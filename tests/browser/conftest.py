"""Browser tests: Debian's Chromium driven by Playwright, touch enabled, against the register
served for real (werkzeug in a thread, on a free loopback port) over a temporary database."""
import shutil
import threading
from pathlib import Path

import pytest
from playwright.sync_api import expect
from werkzeug.serving import make_server

from app import create_app
from app.extensions import db

from helpers import register_config

ARTIFACTS = Path(__file__).resolve().parent.parent / "artifacts"
KIOSK = {"width": 800, "height": 480}
# Waits are for what a person waits for (an import on a busy 2-core machine included).
expect.set_options(timeout=15_000)
TABLET = {"width": 1024, "height": 768}


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {"executable_path": shutil.which("chromium") or "/usr/bin/chromium",
            "args": ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                     "--disable-component-update", "--disable-sync", "--no-first-run"]}


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": KIOSK, "has_touch": True, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def base_url():
    # pytest-playwright's own fallback warns under pytest 9; each test gets its own server.
    return None


class LiveServer:
    def __init__(self, app):
        self.app = app
        self.server = make_server("127.0.0.1", 0, app, threaded=True)
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


@pytest.fixture
def live(db_path, headoffice):
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


@pytest.fixture
def shoot(request):
    """Save a screenshot of each screen for a reviewer (tests/artifacts/, git-ignored)."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    counter = iter(range(1, 1000))

    def take(page, name):
        page.screenshot(path=str(folder / f"{next(counter):02d}-{name}.png"), full_page=True)
    return take


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


def connect_seller(page, url, person="VEND01", password="1111"):
    """From the open register page to the selling screen, the scan field ready."""
    page.goto(url + "/caisse")
    sign_in(page, person, password)
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_label("Code article")).to_be_focused()
