"""What a manager does beside the sales, at tablet size (issues 5, 6, 7): a discount beyond
the seller's right allowed with the manager's code, a return refunded in cash, a ticket
cancelled with a reason, the drawer opened from the printer screen, and the Z of a closed
day reprinted as a duplicate."""

import re

from playwright.sync_api import expect

from app.extensions import db
from tests.support.browser import (
    both_sizes,
    connect_seller,
    identify,
    imported_till,
    keys,
    manager_code,
    pay_all_and_valider,
    return_articles,
    sign_in,
)
from tests.support.helpers import close_counted


@both_sizes
def test_manager_tools(browser, live, shoot, viewport):
    codes = imported_till(live, ["Baguette tradition", "Croissant"])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url, "VEND02", "2222")  # VEND02 may sell, not discount

    # 10 % off a line: beyond the seller's right, allowed by the manager's code.
    page.keyboard.type(codes["Baguette tradition"] + "\n")
    page.get_by_role("link", name="Baguette tradition").tap()
    page.locator("#side").get_by_label("Remise en %").tap()
    keys(page, "10", "#side")
    manager_code(page, "Accordée par (au-delà de votre droit)")
    page.get_by_role("button", name="Appliquer la remise").tap()
    expect(page.locator("#ticket")).to_contain_text("−0,13\u00a0€")
    expect(page.locator("#total")).to_have_text("1,17\u00a0€")
    shoot(page, "discount")
    pay_all_and_valider(page, "Carte Bancaire")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ticket n° 1")

    # The customer brings it back: refunded in cash what was paid, not the list price.
    return_articles(page, "1", "1")
    expect(page.get_by_role("button", name=re.compile("^Rembourser"))).to_have_text("Rembourser 1,17\u00a0€")
    page.locator("#side").get_by_text("Espèces", exact=True).tap()
    manager_code(page, "Autorisé par")
    page.get_by_role("button", name=re.compile("^Rembourser")).tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("RETOUR")
    shoot(page, "refund")

    # A basket the customer leaves behind: cancelled with a reason.
    page.get_by_role("link", name="Nouveau ticket").tap()
    page.keyboard.type(codes["Croissant"] + "\n")
    expect(page.locator("#ticket")).to_contain_text("Croissant")
    page.get_by_role("link", name="Annuler le ticket").tap()
    page.get_by_label("Motif", exact=True).fill("Client parti")
    manager_code(page, "Annulé par")
    page.get_by_role("button", name="Annuler le ticket").tap()
    expect(page.locator("#ticket")).to_contain_text("Scannez un article")
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # The printer screen shows documents with amounts: the manager signs in to see it, then
    # Ouvrir le tiroir with their code.
    page.get_by_role("link", name="Imprimante et tiroir").tap()
    identify(page, "RESP01", "1234")
    expect(page.get_by_role("heading", name="Imprimante", exact=True)).to_be_visible()
    sign_in(page, "RESP01", "1234", form="#printing-form", person_label="Responsable")
    page.get_by_role("button", name="Ouvrir le tiroir").tap()
    expect(page.get_by_text("Ouverture du tiroir demandée.")).to_be_visible()
    shoot(page, "printer")

    # A closed day's Z, reprinted as a duplicate.
    live.run(lambda: close_counted(db.session))
    page.goto(live.url + "/journees")
    page.get_by_role("link", name="Ticket Z").tap()
    expect(page.get_by_label("Aperçu du ticket Z")).to_contain_text("RAPPORT DE 24H (Z)")
    page.locator("form.panel").get_by_label("Responsable", exact=True).select_option("RESP01")
    page.locator("form.panel").get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "form.panel")
    page.get_by_role("button", name="Réimprimer (duplicata)").tap()
    expect(page.get_by_text("Duplicata n° 1 du ticket Z envoyé à l'imprimante.")).to_be_visible()
    shoot(page, "z-duplicate")
    context.close()
