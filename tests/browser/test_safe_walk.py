"""The safe at kiosk size (800×480, docs/safe.md): the Coffre-fort window over the limit shows
the manual's warning; a deposit to the bank (Retrait Coffre-fort, the bank as payer) made
with taps; the window then shows the balances the test computes itself, without the
warning, and the operation is in the Liste des opérations."""

import re

from playwright.sync_api import expect

from app.money import format_euros
from tests.support.browser import ARTIFACTS, identify, imported_till, keys
from tests.support.fit import Screens, button, link
from tests.support.safe import safe_at_headoffice

CASH, CHEQUES, LIMIT, TO_BANK = 95000, 12000, 100000, 90000


def test_a_deposit_to_the_bank_from_the_safe_clears_the_limit_warning(
    page, live, headoffice_app, shoot, request
):
    safe_at_headoffice(headoffice_app, limit_cents=LIMIT, balances={"ESP": CASH, "CHQ": CHEQUES})
    imported_till(live, [])
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, "kiosk")
    page.goto(live.url + "/caisse")
    link(page, "Coffre-fort").tap()
    identify(page)

    warning = page.get_by_role("alert").filter(has_text="Vous avez atteint la limite maximale")
    expect(warning).to_have_text(
        "Vous avez atteint la limite maximale du fonds de coffre-fort. Le fond de caisse maximale du "
        f"coffre-fort est de : {format_euros(LIMIT)}. Fonds de caisse actuel Coffre-fort : "
        f"{format_euros(CASH + CHEQUES)}: Effectuez un retrait du coffre-fort à la banque"
    )
    cash_line = page.locator("table.safe-methods tbody tr").filter(has_text="Espèces")
    expect(cash_line).to_contain_text(format_euros(CASH))
    screens.check("safe-over-the-limit", fixed=False, back=link(page, "‹ Fermer"))

    link(page, "Retrait Coffre-fort").tap()
    expect(page.get_by_role("heading", name="Retrait Coffre-fort")).to_be_visible()
    page.get_by_label("Montant (EUR)").tap()
    keys(page, str(TO_BANK // 100), "#safe-form .keypad")
    page.locator("#safe-form").get_by_text("Espèces", exact=True).tap()
    page.locator("#safe-form").get_by_text("Client", exact=True).tap()
    page.get_by_label("Nom du client").fill("Banque")
    page.get_by_label("Description").fill("Dépôt à la banque")
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#safe-form .keypad")
    screens.check("safe-withdrawal-form", fixed=False, back=link(page, "‹ Coffre-fort"))
    button(page, "Valider").tap()

    expect(page.get_by_text("Retrait Coffre-fort n° 1 enregistré.")).to_be_visible()
    expect(page.get_by_text("Vous avez atteint la limite maximale")).to_have_count(0)
    expect(cash_line.locator("td").nth(4)).to_have_text(format_euros(CASH - TO_BANK))
    expect(cash_line.locator("td").nth(3)).to_have_text(format_euros(TO_BANK))
    expect(page.locator(".safe-total")).to_have_text(format_euros(CASH - TO_BANK + CHEQUES))
    screens.check("safe-after-the-bank", fixed=False, back=link(page, "‹ Fermer"))

    link(page, "Liste des opérations").tap()
    rows = page.locator("table.safe-operations tbody tr")
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text(
        re.compile(r"1\s*Dépenses\s*Espèces\s*" + re.escape(format_euros(TO_BANK)))
    )
    expect(
        page.get_by_text(f"Fonds de caisse initial Coffre-fort : {format_euros(CASH + CHEQUES)}")
    ).to_be_visible()
    screens.check("safe-operations", fixed=False, back=link(page, "‹ Coffre-fort"))
    link(page, "Hier").tap()
    expect(page.get_by_text("Aucune opération du coffre-fort.")).to_be_visible()
    link(page, "Aujourd'hui").tap()
    expect(rows).to_have_count(1)
    assert not screens.problems, "\n".join(screens.problems)
