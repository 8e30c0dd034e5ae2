"""A head-office manager signs in to head office's screens, changes a price (inline, HTMX)
and a cashier's code; the box then imports and sees both: the old code is refused, the new
one imports and sells, and the baguette rings up at its new price; the box closes and
exports, and head office's store summary of the day shows the sale."""

import re

from playwright.sync_api import expect

from app.extensions import db
from tests.support.browser import TABLET, LiveServer, connect_seller, pay_all_and_valider, type_on_keypad
from tests.support.helpers import close_counted

PASSWORD = "a manager's long password"


def _create_manager(headoffice_app) -> None:
    result = headoffice_app.test_cli_runner().invoke(
        args=["create-user", "marie", "Marie Siège", "--role", "manager", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output


def _head_office_changes(page, url, shoot):
    page.goto(url + "/")
    expect(page.get_by_role("heading", name="Connexion au siège")).to_be_visible()
    page.get_by_label("Identifiant").fill("marie")
    page.get_by_label("Mot de passe").fill(PASSWORD)
    page.get_by_role("button", name="Se connecter").click()
    expect(page.get_by_role("heading", name="Caisses")).to_be_visible()
    expect(page.get_by_text("Marie Siège (Responsable)")).to_be_visible()
    shoot(page, "registers")

    page.get_by_role("link", name="Produits").click()
    page.get_by_label("Chercher (code, nom ou code-barres)").fill("baguette tradition")
    row = page.locator("#product-BOUL001")
    expect(page.locator("#results tbody tr")).to_have_count(1)  # the HTMX search narrowed the list
    row.get_by_label("Prix de BOUL001").fill("1,45")
    row.get_by_role("button", name="Enregistrer le prix").click()
    expect(page.locator("#product-BOUL001").get_by_text("Prix enregistré.")).to_be_visible()
    shoot(page, "price")

    page.get_by_role("link", name="Personnel").click()
    page.get_by_role("link", name="VEND01").click()
    page.get_by_label("Nouveau code", exact=True).fill("5678")
    page.get_by_label("Nouveau code, encore").fill("5678")
    page.get_by_role("button", name="Changer le code").click()
    expect(page.get_by_text("Code changé ; les caisses le recevront à leur prochain import.")).to_be_visible()
    shoot(page, "code")

    page.get_by_role("link", name="Journal des modifications").click()
    expect(page.get_by_role("cell", name="staff_code_changed")).to_be_visible()
    expect(page.get_by_role("cell", name="price_changed")).to_be_visible()


def _box_imports_and_sells(page, url, shoot):
    page.goto(url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("VEND01")
    type_on_keypad(page, "Mot de passe", "1111")  # the old code
    page.get_by_role("button", name="Importer", exact=True).tap()
    expect(page.get_by_text("Mot de passe incorrect.")).to_be_visible()
    page.goto(url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("VEND01")
    type_on_keypad(page, "Mot de passe", "5678")
    page.get_by_role("button", name="Importer", exact=True).tap()
    expect(page.get_by_text("Import terminé : caisse CAISSE01.")).to_be_visible()

    # Ouvrir brings the opening count: the cash counted, the manager's code.
    page.get_by_role("button", name="Ouvrir", exact=True).tap()
    expect(page.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    type_on_keypad(page, "Espèces compté", "150,00")
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    type_on_keypad(page, "Mot de passe", "1234")
    page.get_by_role("button", name="Ouvrir", exact=True).tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    connect_seller(page, url, person="VEND01", password="5678")
    page.keyboard.type("3769999000015\n")  # Baguette tradition's barcode, as a scanner types it
    expect(page.locator("#line-1")).to_contain_text("1,45")
    shoot(page, "sold-at-the-new-price")


def _box_closes_and_exports(page, live):
    pay_all_and_valider(page, "Carte Bancaire")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ticket n° 1")
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()
    live.run(lambda: close_counted(db.session))
    page.goto(live.url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("RESP01")
    type_on_keypad(page, "Mot de passe", "1234")
    page.get_by_role("button", name="Exporter", exact=True).tap()
    expect(page.get_by_text("Export terminé")).to_be_visible()


def test_a_manager_changes_a_price_and_a_code_and_the_box_takes_them(browser, live, headoffice_app, shoot):
    _create_manager(headoffice_app)
    with LiveServer(headoffice_app) as head_office:
        desk = browser.new_context(viewport=TABLET, locale="fr-FR")
        office = desk.new_page()
        _head_office_changes(office, head_office.url, shoot)
        till = browser.new_context(viewport={"width": 800, "height": 480}, has_touch=True, locale="fr-FR")
        box = till.new_page()
        _box_imports_and_sells(box, live.url, shoot)
        _box_closes_and_exports(box, live)
        till.close()

        # Back at head office, the dashboard shows the box's import.
        office.get_by_role("link", name="Caisses", exact=True).click()
        row = office.get_by_role("row").filter(has_text="CAISSE01")
        expect(row).to_contain_text(re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d"))
        shoot(office, "dashboard-after-import")

        # The store summary of today (the shop's date) counts the exported sale.
        office.get_by_role("link", name="Récapitulatif", exact=True).click()
        expect(office.get_by_role("heading", name="Récapitulatif de la boutique")).to_be_visible()
        summary = office.locator("#summary")
        sales = summary.get_by_role("row", name=re.compile("^Ventes au total")).get_by_role("cell")
        expect(sales.first).to_have_text("1,45\u00a0€")  # the shop's column, then CAISSE01's
        expect(sales.nth(1)).to_have_text("1,45\u00a0€")
        documents = summary.get_by_role("row", name=re.compile("^Nombre de doc. commerciaux"))
        expect(documents.get_by_role("cell").first).to_have_text("1")
        expect(office.get_by_role("img", name="Ventes par caisse")).to_be_visible()
        shoot(office, "store-summary")
        desk.close()


def test_an_administrator_walks_the_other_screens(browser, headoffice_app, shoot):
    """Every screen once, in a browser, for a reviewer's screenshots: what a person finds
    there by its visible labels, and a box token created and shown once."""
    result = headoffice_app.test_cli_runner().invoke(
        args=["create-user", "admin", "Camille Admin", "--password", PASSWORD]
    )
    assert result.exit_code == 0, result.output
    with LiveServer(headoffice_app) as head_office:
        context = browser.new_context(viewport=TABLET, locale="fr-FR")
        page = context.new_page()
        page.goto(head_office.url + "/connexion")
        page.get_by_label("Identifiant").fill("admin")
        page.get_by_label("Mot de passe").fill(PASSWORD)
        page.get_by_role("button", name="Se connecter").click()

        page.get_by_role("link", name="CAISSE01").click()
        page.get_by_role("link", name="Réglages").click()
        expect(page.get_by_label("Fonds de caisse maximum (€)")).to_have_value("1000,00")
        shoot(page, "register-settings")
        for link, heading in (
            ("Archive des Z", "Archive des Z"),
            ("Catégories", "Catégories"),
            ("TVA", "Taux de TVA"),
            ("Moyens de paiement", "Moyens de paiement"),
            ("Personnel", "Personnel"),
            ("Utilisateurs", "Utilisateurs du siège"),
        ):
            page.get_by_role("link", name=link, exact=True).click()
            expect(page.get_by_role("heading", name=heading, exact=True)).to_be_visible()
            shoot(page, link.lower().replace(" ", "-"))

        page.get_by_role("link", name="Jetons des caisses").click()
        page.get_by_label("Nom (la caisse qui l'utilisera)").fill("Caisse 3")
        page.get_by_role("button", name="Créer un jeton").click()
        expect(page.get_by_text("Nouveau jeton, affiché cette fois seulement")).to_be_visible()
        expect(page.get_by_role("cell", name="Caisse 3")).to_be_visible()
        shoot(page, "tokens")
        page.get_by_role("button", name="English").click()
        expect(page.get_by_role("heading", name="Box tokens")).to_be_visible()
        context.close()
