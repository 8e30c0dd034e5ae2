"""The morning after « Clôture automatique de la journée » (docs/closing.md), on the touch
screen at 800×480 and 1024×768: the opening page says the day was closed by the system and
that the drawer was not counted, in view, with Ouvrir still there to tap; in English too."""

from datetime import datetime

from playwright.sync_api import expect

from app.sync.jobs import auto_close_job
from tests.support.browser import both_sizes, imported_till, in_viewport
from tests.support.schedule import PARIS, set_schedule


@both_sizes
def test_the_morning_after_an_automatic_closing(browser, live, headoffice_app, clock, shoot, viewport):
    set_schedule(headoffice_app, auto_close="22:00")
    clock.at(datetime.now(PARIS).replace(hour=9, minute=0, second=0, microsecond=0))
    imported_till(live, [])  # the import carries the hour; the day opens at 09:00
    clock.at(datetime.now(PARIS).replace(hour=22, minute=0, second=30, microsecond=0))  # every utcnow()
    assert auto_close_job(live.app) == "closed"

    page = browser.new_page(viewport=viewport, locale="fr-FR", has_touch=True)
    page.goto(live.url + "/")
    notice = page.get_by_text("fermée automatiquement", exact=False)
    expect(notice).to_be_visible()
    assert in_viewport(page, notice)
    assert "Le tiroir n'a pas été compté" in notice.inner_text()
    shoot(page, "morning-after-auto-close")
    ouvrir = page.get_by_role("button", name="Ouvrir", exact=True)
    expect(ouvrir).to_be_visible()
    assert in_viewport(page, ouvrir)

    # Read, the notice is put away with its ✕ (it lies over the status strip until then), and
    # the strip's language switch reads the page in English.
    page.get_by_role("button", name="Fermer le message").first.tap()
    page.get_by_role("button", name="EN", exact=True).tap()
    expect(page.get_by_text("closed automatically", exact=False)).to_be_visible()
    page.close()
