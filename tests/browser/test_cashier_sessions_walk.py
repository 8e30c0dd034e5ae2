"""Cashier sessions at kiosk size (800×480; the manager also on a tablet), with taps only: two cashiers open their own
session after Connecter — one counts the deposit with « Calculer la caisse », the other types
it — each sells, and a manager finds the sessions in « Sessions de caisse d'opérateurs » and
closes the first one with the takings typed (docs/cashier-sessions.md). Figures on screen are
checked against totals the test computes from the catalogue."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models import CashierSession, Product
from tests.support.browser import (
    ARTIFACTS,
    KIOSK,
    both_sizes,
    identify,
    imported_till,
    keys,
    pay_all_and_valider,
    sign_in,
)
from tests.support.cashier_sessions import sessions_at_head_office
from tests.support.fit import Screens, button, link


def euros(cents: int) -> str:
    return f"{cents // 100},{cents % 100:02d}\u00a0€"


def connect(page, url, person, password):
    page.goto(url + "/caisse")
    sign_in(page, person, password)
    button(page, "Connecter").tap()
    expect(page.get_by_role("heading", name="Ouverture de la session")).to_be_visible()


def sell_one(page, code, method):
    page.wait_for_load_state("domcontentloaded")
    expect(page.get_by_label("Code article")).to_be_focused()
    page.keyboard.type(code + "\n")
    expect(page.locator("#ticket .line")).to_have_count(1)
    pay_all_and_valider(page, method)
    expect(page.locator("#ticket .line")).to_have_count(0)


@both_sizes
def test_two_cashiers_sell_in_their_sessions_and_the_manager_closes_one(
    browser, live, headoffice_app, shoot, request, viewport
):
    sessions_at_head_office(headoffice_app)
    codes = imported_till(live, ["Baguette tradition", "Croissant"])
    prices = live.run(lambda: dict(db.session.execute(db.select(Product.name, Product.price_cents)).all()))
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    # The cashiers on kiosks; the manager on a kiosk, or on a tablet.
    contexts = [
        browser.new_context(viewport=size, has_touch=True, locale="fr-FR")
        for size in (KIOSK, KIOSK, viewport)
    ]
    first, second, manager = (context.new_page() for context in contexts)
    screens = Screens(first, shoot, folder, "kiosk" if viewport == KIOSK else "tablet")

    # The first cashier counts the deposit coin by coin: 2 × 20 € + 1 × 5 €.
    connect(first, live.url, "VEND01", "1111")
    expect(first.get_by_text("EUR", exact=True)).to_be_visible()
    screens.check("session-opening", fixed=False, back=link(first, "Fermer"))
    first.get_by_text("Calculer la caisse").tap()
    for label, times in (("Un de plus (20,00 €)", 2), ("Un de plus (5,00 €)", 1)):
        for _ in range(times):
            first.get_by_role("button", name=label).tap()
    expect(first.get_by_label("Dépôt", exact=True)).to_have_value("45,00")
    button(first, "Valider").tap()
    expect(first.get_by_label("Code article")).to_be_visible()  # the selling screen
    sell_one(first, codes["Baguette tradition"], "Espèces")

    # The second cashier, on another screen, types the deposit on the keypad.
    connect(second, live.url, "VEND02", "2222")
    second.get_by_label("Dépôt", exact=True).tap()
    keys(second, "30", "#session-opening .keypad")
    button(second, "Valider").tap()
    expect(second.get_by_label("Code article")).to_be_visible()
    sell_one(second, codes["Croissant"], "Carte Bancaire")

    # The manager, on a third screen: the list, Actualiser, then the first cashier's takings.
    screens.page = manager
    manager.goto(live.url + "/caisse")
    link(manager, "Sessions de caisse").tap()
    identify(manager)
    rows = manager.locator("#session-rows tr")
    expect(rows).to_have_count(2)
    expect(rows.nth(0)).to_contain_text("Vendeur2 De Caisse")
    expect(rows.nth(1)).to_contain_text("Vendeur1 De Caisse")
    button(manager, "Actualiser").tap()
    expect(rows).to_have_count(2)
    screens.check("sessions-list", fixed=False, back=link(manager, "‹ Fermer"))
    manager.get_by_role("link", name=re.compile(r"session n° 1$")).tap()
    expect(manager.get_by_role("heading", name="Fermeture de la session n° 1")).to_be_visible()
    cash_final = 4500 + prices["Baguette tradition"]
    cash_row = manager.locator("tr", has=manager.get_by_role("rowheader", name=re.compile("^Espèces")))
    expect(cash_row).to_contain_text(euros(cash_final))
    screens.check("session-takings", fixed=False, back=link(manager, "Fermer"))

    # The takings as the manager counted them: 46,30 € in cash, 40 € taken out.
    typed = cash_final
    manager.get_by_label("Fonds de caisse réel Espèces").tap()
    keys(manager, f"{typed // 100},{typed % 100:02d}", "#session-takings .keypad")
    manager.get_by_label("Retrait Espèces").tap()
    keys(manager, "40", "#session-takings .keypad")
    expect(cash_row.locator("[data-remaining]")).to_have_text(euros(typed - 4000))
    manager.get_by_label("Qui ferme la session").select_option("RESP01")
    manager.get_by_label("Mot de passe", exact=True).tap()
    keys(manager, "1234", "#session-takings .keypad")
    button(manager, "Valider").tap()
    expect(manager.get_by_text("Session de caisse n° 1 fermée.")).to_be_visible()

    def closed():
        s = db.session.scalar(db.select(CashierSession).where(CashierSession.number == 1))
        return s.status, {line.method_code: (line.real_cents, line.withdrawal_cents) for line in s.lines}

    status, lines = live.run(closed)
    assert status == "closed" and lines["ESP"] == (typed, 4000)

    # The second cashier closes their own session from the register page: « Ma session de caisse ».
    screens.page = second
    second.get_by_role("button", name="Déconnecter").tap()
    sign_in(second, "VEND02", "2222")
    button(second, "Ma session de caisse").tap()
    expect(second.get_by_role("heading", name="Fermeture de la session n° 2")).to_be_visible()
    card_row = second.locator("tr", has=second.get_by_role("rowheader", name=re.compile("^Carte Bancaire")))
    expect(card_row).to_contain_text(euros(prices["Croissant"]))
    screens.check("own-session-takings", fixed=False, back=link(second, "Fermer"))
    second.get_by_label("Fonds de caisse réel Espèces").tap()
    keys(second, "30", "#session-takings .keypad")
    second.get_by_label("Mot de passe", exact=True).tap()
    keys(second, "2222", "#session-takings .keypad")
    button(second, "Valider").tap()
    expect(second.get_by_text("Session de caisse n° 2 fermée.")).to_be_visible()
    assert (
        live.run(
            lambda: db.session.scalar(db.select(CashierSession.status).where(CashierSession.number == 2))
        )
        == "closed"
    )
    for context in contexts:
        context.close()
    assert not screens.problems, "\n".join(screens.problems)
