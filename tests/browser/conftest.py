"""Browser tests: Debian's Chromium driven by Playwright, touch enabled, against the register
served for real (werkzeug in a thread, on a free loopback port) over a temporary database."""

import shutil

import pytest
from playwright.sync_api import expect

from app import create_app
from app.extensions import db
from tests.support.browser import ARTIFACTS, KIOSK, LiveServer, save_screenshot
from tests.support.helpers import register_config

# Waits are for what a person waits for (an import on a busy 2-core machine included).
expect.set_options(timeout=15_000)


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser_type_launch_args():
    return {
        "executable_path": shutil.which("chromium") or "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args():
    return {"viewport": KIOSK, "has_touch": True, "locale": "fr-FR"}


@pytest.fixture(scope="session")
def base_url():
    # pytest-playwright's own fallback warns under pytest 9; each test gets its own server.
    return None


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
        save_screenshot(page, folder / f"{next(counter):02d}-{name}.png", full_page=True)

    return take
