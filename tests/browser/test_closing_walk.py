"""A full day at kiosk size: open with 150,00 €, sell by cash, card and cheque, a
cash-out, one ticket left aside → closing refused → take it back and finish it → close with
the denomination grid, −0,50 € accepted with a reason, a withdrawal → the Z preview shows
the figures this test computes on its own → reopen → close → export → state A."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.services.lifecycle import register_state
from tests.support.browser import both_sizes, identify, imported_till, keys, pay_all_and_valider, sign_in

PRICES = {"Baguette tradition": 130, "Croissant": 120, "Pain aux céréales": 340, "Ficelle": 90}


def euros(cents):
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100},{abs(cents) % 100:02d}\u00a0€"


def sell(page, codes, name, method, amount=None, reference=None):
    expect(page.get_by_label("Code article")).to_be_focused()
    page.keyboard.type(codes[name] + "\n")
    expect(page.locator("#ticket")).to_contain_text(name)
    page.get_by_role("link", name="Payer").tap()
    page.locator("#side").get_by_text(method, exact=True).tap()
    if amount:
        page.get_by_label("Montant", exact=True).tap()
        keys(page, amount, "#side")
    if reference:
        page.get_by_label(re.compile("^Référence")).fill(reference)
    page.get_by_role("button", name="Encaisser").tap()
    page.get_by_role("button", name="Valider").tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text(name)


def open_with_count(page, cash, left=None):
    """Ouvrir brings the count window; the cash counted as one amount, the manager's code."""
    page.get_by_role("button", name="Ouvrir", exact=True).tap()
    expect(page.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    if left:  # what the last closing left, the count's starting point
        expect(page.locator("tr[data-method=ESP]")).to_contain_text(left)
    page.get_by_label("Espèces compté").tap()
    keys(page, cash, "#opening-count")
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#opening-count")
    page.get_by_role("button", name="Ouvrir", exact=True).tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()


@both_sizes
def test_a_full_day(browser, live, shoot, viewport):
    codes = imported_till(live, PRICES, opened=False)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()

    # Ouvrir with 150,00 €, counted (the demo registers make counting mandatory).
    page.goto(live.url + "/")
    open_with_count(page, "150,00")

    # A few sales; the last basket goes aside.
    page.get_by_label("Vendeur", exact=True).select_option("VEND01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1111")
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    sell(page, codes, "Baguette tradition", "Espèces", amount="2")
    page.get_by_role("link", name="Nouveau ticket").tap()
    sell(page, codes, "Croissant", "Carte Bancaire")
    sell(page, codes, "Pain aux céréales", "Chèque", reference="0012345")
    page.keyboard.type(codes["Ficelle"] + "\n")
    expect(page.locator("#ticket")).to_contain_text("Ficelle")
    page.get_by_role("button", name="Mettre en attente").tap()
    expect(page.locator("#side")).to_contain_text("1 ligne")
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # A cash-out of 20,00 €: the page lists the day's movements, the manager signs in to see it.
    page.get_by_role("link", name="Entrées et sorties d'espèces").tap()
    identify(page, "RESP01", "1234")
    page.get_by_text("Sortie", exact=True).tap()
    page.get_by_label("Montant", exact=True).tap()
    keys(page, "20")
    page.get_by_label("Motif", exact=True).fill("Timbres")
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234")
    page.get_by_role("button", name="Enregistrer le mouvement").tap()
    expect(page.get_by_text("Mouvement n° 1 enregistré.")).to_be_visible()
    page.get_by_role("link", name="Caisse").first.tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # Fermer la caisse: refused, one ticket in progress.
    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("alert").first).to_have_text("Fermeture impossible : 1 ticket(s) en cours.")
    shoot(page, "closing-refused")
    page.get_by_role("dialog").get_by_role("link", name="Fermer").tap()  # the window's way back

    # The seller takes it back and finishes it in cash.
    sign_in(page, "VEND01", "1111")
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    page.get_by_role("link", name="Tickets en attente").tap()
    page.get_by_role("button", name="Reprendre").tap()
    expect(page.locator("#ticket")).to_contain_text("Ficelle")
    pay_all_and_valider(page, "Espèces")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ficelle")
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # What the test expects, computed from what it sold.
    cash_sales = PRICES["Baguette tradition"] + PRICES["Ficelle"]
    expected_cash = 15000 + cash_sales - 2000
    counted = expected_cash - 50
    withdrawal = 10000
    pieces = {5000: 2, 2000: 1, 1000: 1, 100: 1, 50: 1, 20: 1}
    assert sum(v * n for v, n in pieces.items()) == counted

    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    expect(page.get_by_text("Nombre de ticket : 4")).to_be_visible()
    page.get_by_text("Compter les espèces pièce par pièce").tap()
    for value, count in pieces.items():
        plus = page.get_by_role("button", name=f"Un de plus ({euros(value)})")
        for _ in range(count):
            plus.tap()
    expect(page.locator("#grid-total")).to_have_text(euros(counted))
    page.get_by_label("Retrait — Espèces").tap()
    keys(page, "100")
    rest = page.locator("table.closing-count tr[data-method=ESP] [data-remaining]")
    expect(rest).to_have_text(euros(counted - withdrawal))
    page.get_by_label("Motif de l'écart — Espèces").fill("Erreur de rendu")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234")
    shoot(page, "closing-page")
    page.get_by_role("button", name="Valider la fermeture").tap()
    expect(page.get_by_text(re.compile("La caisse est fermée : journée n° 1"))).to_be_visible()

    # The Z preview, against the test's own figures.
    page.get_by_role("link", name="Ticket Z de la dernière fermeture").tap()
    z = page.get_by_label("Aperçu du ticket Z")
    total = sum(PRICES.values())
    for label, value in (
        ("Nombre de tickets", "4"),
        ("Espèces (2)", euros(cash_sales)),
        ("Carte Bancaire (1)", euros(PRICES["Croissant"])),
        ("Chèque (1)", euros(PRICES["Pain aux céréales"])),
        ("Sorties (1)", euros(2000)),
        ("Retrait à la clôture (1)", euros(withdrawal)),
        ("Espèces attendu", euros(expected_cash)),
        ("Espèces compté", euros(counted)),
        ("Espèces écart", euros(-50)),
        ("Fonds restant", euros(counted - withdrawal)),
        ("Total net", euros(total)),
        ("Grand total perpétuel", euros(total)),
        ("Grand total perpétuel (valeurs absolues)", euros(total)),
    ):
        # Printer text: plain spaces, as on the paper.
        expect(z).to_contain_text(
            re.compile(re.escape(label) + r"\s+" + re.escape(value.replace("\u00a0", " ")))
        )
    shoot(page, "z-report")

    # Reopen with the rest as float, close again, export.
    page.get_by_role("link", name="Accueil").tap()
    open_with_count(page, "31,70", left=euros(counted - withdrawal))
    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    page.get_by_label("Espèces compté").tap()
    keys(page, "31,70")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234")
    page.get_by_role("button", name="Valider la fermeture").tap()
    expect(page.get_by_text(re.compile("journée n° 2"))).to_be_visible()
    expect(page.get_by_role("button", name="Exporter", exact=True)).to_be_enabled()
    sign_in(page, "RESP01", "1234", form="#opening-form")
    page.get_by_role("button", name="Exporter", exact=True).tap()
    expect(page.get_by_text("Export terminé")).to_be_visible()
    assert live.run(lambda: register_state(db.session).code) == "A"
    shoot(page, "exported")
    context.close()
