"""Liste des transactions at kiosk size (800×480) and tablet size, with taps: a card payment
found in the list, cancelled (Annuler, the manager's code on the keypad), a Remboursement
manuel refused then recorded with a usual reason; the amounts on screen against what the test computes itself
(docs/card-transactions.md)."""

from playwright.sync_api import expect

from app.money import format_euros
from tests.support.browser import ARTIFACTS, KIOSK, both_sizes, identify, imported_till, keys
from tests.support.fit import Screens, button, link
from tests.support.screens import Kiosk
from tests.support.till import Till, sell


def card_sales(live, names):
    """Sales paid by card on the register's own screens (a second screen beside the browser)."""
    screen, till = Kiosk(live.app.test_client()), Till(live.app)
    screen.open("/caisse")
    screen.post("/caisse/connect", person="VEND01", password="1111")
    return [sell(screen, till, [name]) for name in names]


def code(page, form, password="1234"):
    page.locator(form).get_by_label("Mot de passe", exact=True).tap()
    keys(page, password, f"{form} .keypad")


@both_sizes
def test_a_card_payment_cancelled_and_a_manual_refund_with_taps(browser, live, shoot, request, viewport):
    imported_till(live, [])
    first, second = card_sales(live, ["Baguette tradition", "Croissant"])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, "kiosk" if viewport == KIOSK else "tablet")
    page.goto(live.url + "/caisse")
    link(page, "Liste des transactions").tap()
    identify(page)
    rows = page.locator("table.transactions tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text(format_euros(second.total_cents))
    expect(rows.first).to_contain_text("Paiement")
    expect(rows.first).to_contain_text("VEND01")
    expect(rows.first).to_contain_text("EUR")
    screens.check("card-transactions", fixed=False, back=link(page, "‹ Caisse"))

    # Annuler the newest payment: the manager's code, then the list says it is cancelled.
    rows.first.get_by_role("link", name="Annuler").tap()
    expect(page.get_by_role("heading", name="Annuler la transaction")).to_be_visible()
    screens.check(
        "card-cancel",
        fixed=False,
        in_view=[button(page, "Annuler la transaction")],
        back=link(page, "‹ Liste des transactions"),
    )
    code(page, "#card-cancel-form", "9999")
    button(page, "Annuler la transaction").tap()
    screens.refusal("Mot de passe incorrect.")
    code(page, "#card-cancel-form")
    button(page, "Annuler la transaction").tap()
    expect(page.get_by_text("Transaction annulée : document n° 1.")).to_be_visible()
    expect(rows).to_have_count(3)
    expect(rows.first).to_contain_text("Annulation du paiement")
    expect(rows.first).to_contain_text(format_euros(second.total_cents))
    expect(rows.nth(1)).to_contain_text("annulé (n° 1)")
    expect(rows.nth(1).get_by_role("link", name="Annuler")).to_have_count(0)
    screens.check("card-transactions-cancelled", fixed=False, back=link(page, "‹ Caisse"))

    # Remboursement manuel: refused without a reason, then recorded.
    link(page, "Remboursement manuel").tap()
    page.get_by_label("Montant (EUR)").tap()
    keys(page, "7,5", "#card-refund-form .keypad")
    code(page, "#card-refund-form")
    button(page, "Valider").tap()
    screens.refusal("Donnez le motif du remboursement.")
    screens.check("card-refund-refused", fixed=False, in_view=[button(page, "Valider")])
    screens.at_top()
    screens.check("card-refund-refused-top", fixed=False, back=link(page, "‹ Liste des transactions"))
    page.get_by_role("button", name="Caisse tombée en panne").tap()
    code(page, "#card-refund-form")
    button(page, "Valider").tap()
    expect(page.get_by_text("Remboursement manuel enregistré : document n° 2.")).to_be_visible()
    expect(rows).to_have_count(4)
    expect(rows.first).to_contain_text("Remboursement")
    expect(rows.first).to_contain_text("7,50")

    # The status filter, by taps: the two payments alone.
    page.get_by_label("Statut").select_option("payment")
    button(page, "Filtrer").tap()
    expect(rows).to_have_count(2)
    expect(rows.last).to_contain_text(format_euros(first.total_cents))
    screens.check("card-transactions-filtered", fixed=False, back=link(page, "‹ Caisse"))
    context.close()
    assert not screens.problems, "\n".join(screens.problems)
