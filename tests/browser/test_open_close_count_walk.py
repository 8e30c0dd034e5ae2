"""Counting at opening and closing per method at kiosk size (800×480), taps only: the day
before left 50,00 € in the drawer; Ouvrir brings the count window by itself, the grid finds
0,50 € less, the difference shows with its reason field and the day opens from 50,00 € with
the difference apart; a cheque sale; the closing counts 2,00 € of cheques more than the day
took, the reason is given, the cheques are withdrawn, and the RC of that difference is in the
Liste des DC/RC — every figure checked against what this test computes itself."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.services.lifecycle import register_state
from tests.support.browser import ARTIFACTS, KIOSK, connect_seller, identify, imported_till, keys, sign_in
from tests.support.fit import Screens, button, link
from tests.support.helpers import close_counted

CHEQUE_SALE = 340  # Pain aux céréales


def euros(cents):
    return f"{'-' if cents < 0 else ''}{abs(cents) // 100},{abs(cents) % 100:02d}\u00a0€"


def test_open_with_a_count_and_close_with_a_cheque_difference(browser, live, shoot, request):
    codes = imported_till(live, ["Pain aux céréales"])  # day 1 opened with 150,00 €
    left = 5000
    live.run(lambda: close_counted(db.session, withdrawal_cents=15000 - left))
    context = browser.new_context(viewport=KIOSK, has_touch=True, locale="fr-FR")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name
    screens = Screens(page, shoot, folder, "kiosk")

    # The opening page: no float to type; Ouvrir brings the count window.
    page.goto(live.url + "/")
    expect(page.get_by_text("Comptage obligatoire : Ouvrir affiche la fenêtre de comptage.")).to_be_visible()
    expect(page.get_by_label("Montant", exact=True)).to_have_count(0)
    screens.check("opening", in_view=[button(page, "Ouvrir"), button(page, "Exporter")])
    button(page, "Ouvrir").tap()
    expect(page.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    cash = page.locator("tr[data-method=ESP]")
    expect(cash).to_contain_text(euros(left))  # Solde initial: what the closing left
    expect(page.locator("tr[data-method=CHQ]")).to_contain_text(euros(0))

    # The grid: 2 × 20 €, 9 × 1 €, 1 × 0,50 € = 49,50 €, 0,50 € short.
    pieces = {2000: 2, 100: 9, 50: 1}
    counted = sum(v * n for v, n in pieces.items())
    page.get_by_text("Compter les espèces pièce par pièce").tap()
    for value, count in pieces.items():
        for _ in range(count):
            page.get_by_role("button", name=f"Un de plus ({euros(value)})").tap()
    expect(page.locator("#grid-total")).to_have_text(euros(counted))
    expect(cash.locator("[data-difference]")).to_have_text(euros(counted - left))
    reason = page.get_by_label("Motif de l'écart — Espèces")
    expect(reason).to_be_visible()
    expect(page.get_by_label("Motif de l'écart — Chèque")).to_be_hidden()
    page.locator("[data-reason-of=ESP]").get_by_role("button", name="Erreur de comptage").tap()
    expect(reason).to_have_value("Erreur de comptage")
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#opening-count")
    opening_actions = [
        button(page, "Ouvrir"),
        link(page, "Annuler"),
        page.get_by_role("group", name="Pavé numérique"),
    ]
    screens.check("opening-count", fixed=False, in_view=opening_actions, back=link(page, "Annuler"))
    button(page, "Ouvrir").tap()
    expect(button(page, "Connecter")).to_be_visible()
    day = live.run(lambda: register_state(db.session).open_day)
    assert day.opening_float_cents == left  # the difference is not added to the float

    # A cheque sale.
    connect_seller(page, live.url)
    page.keyboard.type(codes["Pain aux céréales"] + "\n")
    expect(page.locator("#ticket")).to_contain_text("Pain aux céréales")
    page.get_by_role("link", name="Payer").tap()
    page.locator("#side").get_by_text("Chèque", exact=True).tap()
    page.get_by_label(re.compile("^Référence")).fill("0012345")
    page.get_by_role("button", name="Encaisser").tap()
    page.get_by_role("button", name="Valider").tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Pain aux céréales")
    page.get_by_role("button", name="Déconnecter").tap()

    # The closing: the opening's difference is in the day's figures, the drawer holds what was
    # counted at opening; two cheques worth 2,00 € more than the day took.
    sign_in(page, "RESP01", "1234")
    button(page, "Fermer la caisse").tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    figures = page.locator("table.closing-figures")
    expect(figures.locator("tr", has_text="Espèces")).to_contain_text(
        f"écart à l'ouverture {euros(counted - left)}"
    )
    expect(figures.locator("tr", has_text="Espèces").locator(".expected")).to_have_text(euros(counted))
    cheques_counted = CHEQUE_SALE + 200
    page.get_by_label("Espèces compté").tap()
    keys(page, "49,50", "#closing-form")
    page.get_by_label("Nombre de Chèque").tap()
    keys(page, "2", "#closing-form")
    page.get_by_label("Chèque compté").tap()
    keys(page, "5,40", "#closing-form")
    row = page.locator("table.closing-count tr[data-method=CHQ]")
    expect(row.locator("[data-difference]")).to_have_text(euros(cheques_counted - CHEQUE_SALE))
    expect(page.get_by_label("Motif de l'écart — Espèces")).to_be_hidden()
    page.locator("[data-reason-of=CHQ]").get_by_role("button", name="Erreur de comptage").tap()
    page.get_by_label("Retrait — Chèque").tap()
    keys(page, "5,40", "#closing-form")
    expect(row.locator("[data-remaining]")).to_have_text(euros(0))
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#closing-form")
    closing_actions = [button(page, "Valider la fermeture"), button(page, "Annuler")]
    screens.check("closing-per-method", fixed=False, in_view=closing_actions, back=button(page, "Annuler"))
    button(page, "Valider la fermeture").tap()
    expect(page.get_by_text(re.compile("La caisse est fermée : journée n° 2"))).to_be_visible()

    # The RC of the accepted difference, in the Liste des DC/RC.
    link(page, "Liste des DC/RC").tap()
    expect(page).to_have_url(re.compile("/caisse/documents"))
    if page.locator("#sign-in-form").count():  # the closing's sign-in may have ended
        identify(page)
    rc = page.locator("table.documents tbody tr", has_text="Recette")
    expect(rc).to_have_count(1)
    expect(rc).to_contain_text(euros(cheques_counted - CHEQUE_SALE).replace("\u00a0", " "))
    expect(rc).to_contain_text("Chèque")
    expect(rc).to_contain_text("Erreur de comptage")
    screens.check("documents", fixed=False, back=link(page, "‹ Caisse"))
    context.close()
    assert not screens.problems, "\n".join(screens.problems)
