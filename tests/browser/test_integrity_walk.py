"""The Intégrité screen on the kiosk (800×480) and on a tablet (1024×768): from the register
page a manager signs in, taps Vérifier maintenant and reads that every chain is sound; after
an auditor edits a payment in the SQLite file, the same button names the altered ticket."""

from playwright.sync_api import expect
from sqlalchemy import text

from app.extensions import db
from tests.support.auditor import edit_database as _edit
from tests.support.browser import both_sizes, connect_seller, identify, imported_till, pay_all_and_valider


@both_sizes
def test_a_manager_sees_the_chains_sound_then_the_altered_ticket(browser, live, shoot, viewport):
    codes = imported_till(live, ["Croissant", "Baguette tradition"])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url)
    for name in ("Croissant", "Baguette tradition"):
        page.keyboard.type(codes[name] + "\n")
        expect(page.locator("#ticket")).to_contain_text(name)
        pay_all_and_valider(page, "Carte Bancaire")
        expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ticket n°")
        page.get_by_role("link", name="Nouveau ticket").tap()
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    page.get_by_role("link", name="Intégrité").tap()
    identify(page)  # the register's fiscal chains: a manager signs in first
    expect(page.get_by_role("heading", name="Intégrité")).to_be_visible()
    check = page.get_by_role("button", name="Vérifier maintenant")
    expect(check).to_be_in_viewport(ratio=1)
    check.tap()
    expect(page.get_by_text("Toutes les chaînes sont intègres")).to_be_visible()
    expect(page.get_by_role("row", name="Tickets 2 2 intègre")).to_be_visible()
    shoot(page, "sound")

    # The auditor: triggers dropped, the second sale's payment lowered in the file itself.
    ticket_id = live.run(lambda: db.session.execute(text("SELECT id FROM ticket WHERE number = 2")).scalar())
    _edit(live.app, "UPDATE payment SET amount_cents = 1 WHERE ticket_id = ?", ticket_id)
    page.get_by_role("button", name="Vérifier maintenant").tap()
    expect(page.get_by_role("alert")).to_contain_text(
        "Chaînes altérées : l'incident est journalisé (code 90)."
    )
    expect(page.get_by_role("row", name="Tickets")).to_contain_text("n°2 : modifié (paiements)")
    shoot(page, "altered")

    page.get_by_role("link", name="‹ Retour").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()
    context.close()
