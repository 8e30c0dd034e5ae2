"""A credit note at kiosk size: a return refunded in Avoir prints its code, and
the next customer pays with it by scanning that code into the reference field."""

import re

from playwright.sync_api import expect
from sqlalchemy import select

from app.extensions import db
from app.models import Payment
from tests.support.browser import (
    both_sizes,
    connect_seller,
    imported_till,
    manager_code,
    pay_all_and_valider,
    return_articles,
)


def issued_code(live) -> str:
    return live.run(
        lambda: db.session.scalars(
            select(Payment.reference).where(Payment.method_code == "AV", Payment.amount_cents < 0)
        ).one()
    )


@both_sizes
def test_a_credit_note_from_refund_to_payment(browser, live, shoot, viewport):
    codes = imported_till(live, ["Baguette tradition", "Croissant"])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url)

    page.keyboard.type(codes["Croissant"] + "\n")
    page.keyboard.type(codes["Croissant"] + "\n")
    expect(page.locator("#total")).to_have_text("2,40\u00a0€")
    pay_all_and_valider(page, "Carte Bancaire")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ticket n° 1")

    # Brought back: refunded as a credit note, with the manager's code.
    return_articles(page, "1", "2")
    page.locator("#side").get_by_text("Avoir", exact=True).tap()
    expect(page.locator("#side")).to_contain_text("valable 365 jours")
    manager_code(page, "Autorisé par")
    page.get_by_role("button", name=re.compile("^Rembourser")).tap()
    preview = page.get_by_label("Aperçu du ticket")
    expect(preview).to_contain_text("AVOIR n° 99")  # the refund is done: its code is stored
    code = issued_code(live)
    expect(preview).to_contain_text(f"AVOIR n° {code}")
    expect(preview).to_contain_text("Valable jusqu'au")
    shoot(page, "credit-note-issued")

    # The next customer pays with it: the scanner reads the code into the reference field.
    page.get_by_role("link", name="Nouveau ticket").tap()
    page.keyboard.type(codes["Baguette tradition"] + "\n")
    expect(page.locator("#total")).to_have_text("1,30\u00a0€")
    page.get_by_role("link", name="Payer").tap()
    page.locator("#side").get_by_text("Avoir", exact=True).tap()
    page.locator("#side").get_by_label(re.compile("^Référence")).tap()
    page.keyboard.type(code + "\n")
    expect(page.locator("#side")).to_contain_text("Ticket payé")
    page.get_by_role("button", name="Valider").tap()
    expect(preview).to_contain_text("Reste sur l'avoir")
    expect(preview).to_contain_text("1,10 €")
    shoot(page, "credit-note-spent")
    context.close()
