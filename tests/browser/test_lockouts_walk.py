"""A seller locked out after wrong codes, unlocked by a manager on the kiosk (800×480) and on
a tablet (1024×768): the register page leads to Personnes bloquées, the manager types their
code on the keypad, taps Débloquer, and the seller can connect again."""

import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.services.errors import AuthenticationFailed
from app.services.people import authenticate
from tests.support.browser import both_sizes, connect_seller, identify, imported_till, sign_in


def lock_out(live, person="VEND02"):
    def work():
        for _ in range(5):
            with pytest.raises(AuthenticationFailed):
                authenticate(db.session, person, "0000", "sell")

    live.run(work)


@both_sizes
def test_a_manager_unlocks_a_locked_seller(browser, live, shoot, viewport):
    imported_till(live, [])
    lock_out(live)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live.url + "/caisse")
    page.get_by_role("link", name="Personnes bloquées").tap()
    identify(page)  # names of people: a manager signs in first
    expect(page.get_by_role("cell", name="Vendeur2 De Caisse (VEND02)")).to_be_visible()
    shoot(page, "locked")
    sign_in(page, "RESP01", "1234", form="#unlock-form", person_label="Responsable")
    button = page.get_by_role("button", name="Débloquer")
    expect(button).to_be_in_viewport(ratio=1)  # no scrolling to find it on the kiosk
    button.tap()
    expect(page.get_by_text("Vendeur2 De Caisse est débloqué.")).to_be_visible()
    expect(page.get_by_text("Personne n'est bloqué.")).to_be_visible()
    shoot(page, "unlocked")
    page.get_by_role("link", name="Caisse").first.tap()
    # Back on the register page (its own navigation done) before the seller connects there.
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()
    connect_seller(page, live.url, "VEND02", "2222")
    context.close()
