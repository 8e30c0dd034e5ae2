"""A seller's morning on the touch screen: three scans as a USB scanner types them,
one article from the category grid, part card and part cash with the change shown, the
receipt preview, a second ticket set aside — and the closing then refuses, one ticket in
progress."""

import re

from playwright.sync_api import expect

from tests.support.browser import both_sizes, connect_seller, imported_till, keys


def prepare(live):
    return imported_till(live, ["Baguette tradition", "Pain au chocolat", "Ficelle", "Baguette"])


@both_sizes
def test_a_sale(browser, live, shoot, viewport):
    codes = prepare(live)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url)
    scan_field = page.get_by_label("Code article")

    # A scanner types the digits and Enter into whatever has the focus.
    for name, lines in (("Baguette tradition", 1), ("Baguette tradition", 1), ("Pain au chocolat", 2)):
        page.keyboard.type(codes[name] + "\n")
        expect(page.locator("#ticket .line")).to_have_count(lines)
        expect(scan_field).to_be_focused()
    expect(page.locator("#line-1")).to_contain_text("2 × 1,30")  # scanned twice in a row
    page.keyboard.type("0000000000000\n")
    expect(page.get_by_role("alert")).to_have_text("Code inconnu : 0000000000000")
    shoot(page, "scanned")

    page.get_by_role("link", name="Boulangerie").tap()
    expect(page.get_by_role("alert")).to_have_count(0)  # a success clears the old message
    page.get_by_role("button", name=re.compile(r"^Ficelle")).tap()
    expect(page.locator("#ticket")).to_contain_text("Ficelle")
    expect(page.locator("#total")).to_have_text("4,85\u00a0€")  # 2 × 1,30 + 1,35 + 0,90
    shoot(page, "grid")

    page.get_by_role("link", name="Payer").tap()
    page.get_by_text("Carte Bancaire").tap()
    page.get_by_label("Montant", exact=True).tap()  # the amount due is there; a key replaces it
    keys(page, "3", "#side")
    page.get_by_role("button", name="Encaisser").tap()
    expect(page.locator("#due")).to_have_text("1,85\u00a0€")
    page.get_by_text("Espèces").tap()
    page.get_by_label("Montant", exact=True).tap()
    keys(page, "5", "#side")
    page.get_by_role("button", name="Encaisser").tap()
    expect(page.locator("#change")).to_have_text("3,15\u00a0€")
    shoot(page, "paid")
    page.get_by_role("button", name="Valider").tap()
    receipt = page.get_by_label("Aperçu du ticket")
    expect(receipt).to_contain_text("Ticket n° 1")
    expect(receipt).to_contain_text("TOTAL  4,85\u00a0€")
    expect(page.locator("#last-change")).to_have_text("3,15\u00a0€")
    shoot(page, "receipt")

    # A second customer's basket goes aside.
    page.keyboard.type(codes["Baguette"] + "\n")
    expect(page.locator("#ticket")).to_contain_text("Baguette")
    page.get_by_role("button", name="Mettre en attente").tap()
    expect(page.locator("#side")).to_contain_text("1 ligne")
    shoot(page, "aside")

    # The closing sees the ticket in progress and refuses.
    page.get_by_role("button", name="Déconnecter").tap()
    page.get_by_label("Vendeur", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    for key in "1234":
        page.get_by_role("button", name=key, exact=True).tap()
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("alert")).to_contain_text("1 ticket(s) en cours")
    shoot(page, "closing-refused")
    context.close()


@both_sizes
def test_fast_scans_are_neither_lost_nor_reordered(browser, live, shoot, viewport):
    codes = prepare(live)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url)
    # A burst, as a scanner sends it: no waiting between the codes.
    names = ["Ficelle", "Baguette", "Pain au chocolat", "Baguette tradition"]
    page.keyboard.type("".join(codes[name] + "\n" for name in names))
    expect(page.locator("#ticket .line")).to_have_count(4)
    expect(page.locator("#ticket .line-label")).to_have_text(names)
    # With the focus on a button or a link (a tap, a tablet's tab key), a scan still lands.
    page.get_by_role("link", name="Boulangerie").focus()
    page.keyboard.type(codes["Ficelle"] + "\n")
    expect(page.locator("#ticket .line")).to_have_count(5)
    shoot(page, "burst")
    context.close()
