"""Training mode on the touch screen (docs/integrity.md « Training mode »): a manager switches
it on from the register page, the banner shows on the selling screen at kiosk size without
pushing any action out of view, a training sale prints FACTICE — MODE ÉCOLE, and once the
manager switches it off from the banner the banner is gone."""

from playwright.sync_api import expect

from tests.support.browser import (
    ARTIFACTS,
    KIOSK,
    both_sizes,
    connect_seller,
    identify,
    imported_till,
    keys,
    sign_in,
)
from tests.support.fit import Screens, button

BANNER = "MODE ÉCOLE — tickets factices"


def banner(page):
    return page.locator("#status").get_by_role("link", name=BANNER)


@both_sizes
def test_a_manager_trains_a_seller_on_the_live_register(browser, live, shoot, request, viewport):
    codes = imported_till(live, ["Croissant"])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, "kiosk" if viewport == KIOSK else "tablet")

    # The manager: register page → Mode école → signs in → types their code → Activer.
    page.goto(live.url + "/caisse")
    page.get_by_role("link", name="Mode école").tap()
    identify(page)
    expect(page.get_by_role("heading", name="Mode école")).to_be_visible()
    sign_in(page, "RESP01", "1234", form="#training-form", person_label="Responsable")
    screens.check("training-off", in_view=[button(page, "Activer le mode école")])
    button(page, "Activer le mode école").tap()
    expect(page.get_by_text("Mode école activé")).to_be_visible()
    expect(banner(page)).to_be_visible()
    page.get_by_role("button", name="Fermer le message").tap()  # the message lies over the strip
    screens.check("training-on", in_view=[banner(page), button(page, "Arrêter le mode école")])

    # The seller sells: the banner is on the selling screen, every action still in view.
    connect_seller(page, live.url)
    expect(banner(page)).to_be_in_viewport(ratio=1)
    # The manager is still signed in: the strip is at its fullest, Sortir must stay whole.
    sortir = page.locator("#status").get_by_role("button", name="Sortir")
    screens.check("selling-training", in_view=[banner(page), sortir, button(page, "Déconnecter")])
    page.keyboard.type(codes["Croissant"] + "\n")
    expect(page.locator("#ticket .line")).to_have_count(1)
    page.get_by_role("link", name="Payer").tap()
    page.get_by_text("Espèces").tap()
    page.get_by_label("Montant", exact=True).tap()
    keys(page, "5", "#side")
    page.get_by_role("button", name="Encaisser").tap()
    page.get_by_role("button", name="Valider").tap()
    receipt = page.get_by_label("Aperçu du ticket")
    expect(receipt).to_contain_text("FACTICE — MODE ÉCOLE")
    expect(receipt).to_contain_text("Ticket ÉCOLE n° 1")
    expect(banner(page)).to_be_in_viewport(ratio=1)
    screens.check("receipt-training", in_view=[banner(page)])

    # Done: the banner leads the manager to the switch; off, and the banner is gone.
    page.get_by_role("button", name="Déconnecter").tap()
    expect(button(page, "Connecter")).to_be_visible()  # back on the register page
    expect(banner(page)).to_be_visible()
    banner(page).tap()
    identify(page)
    sign_in(page, "RESP01", "1234", form="#training-form", person_label="Responsable")
    button(page, "Arrêter le mode école").tap()
    expect(page.get_by_text("Mode école arrêté")).to_be_visible()
    expect(banner(page)).to_have_count(0)
    connect_seller(page, live.url)
    expect(page.locator("#status")).to_be_visible()
    expect(banner(page)).to_have_count(0)
    shoot(page, "selling-real-again")
    context.close()
    assert not screens.problems, "\n".join(screens.problems)
