"""A titre-service at kiosk size: choosing the method puts the focus in the reference field,
so the scanner's number lands there (not in the scan field); an expired voucher is refused
with the manual's kind of message, a good one pays."""

from datetime import datetime
from zoneinfo import ZoneInfo

from playwright.sync_api import expect

from tests.support.browser import KIOSK, connect_seller, imported_till


def _titre(year: int, serial: int) -> str:
    body = f"27{year % 100:02d}{serial:06d}"
    for digit in "0123456789":
        total = 0
        for i, ch in enumerate(reversed(body + digit)):
            value = int(ch) * (2 if i % 2 else 1)
            total += value // 10 + value % 10
        if total % 10 == 0:
            return body + digit
    raise AssertionError("no Luhn digit")


def test_a_titre_service_is_scanned_into_its_field(browser, live, shoot):
    year = datetime.now(ZoneInfo("Europe/Paris")).year
    codes = imported_till(live, ["Baguette tradition"])
    context = browser.new_context(viewport=KIOSK, has_touch=True, locale="fr-FR")
    page = context.new_page()
    connect_seller(page, live.url)
    page.keyboard.type(codes["Baguette tradition"] + "\n")
    expect(page.locator("#total")).to_have_text("1,30\u00a0€")
    page.get_by_role("link", name="Payer").tap()

    page.locator("#side").get_by_text("Titre-service", exact=True).tap()
    expect(page.locator("#reference")).to_be_focused()
    expired = _titre(year - 2, 1)
    page.keyboard.type(expired + "\n")  # the scanner: digits and Enter
    expect(page.locator("#messages")).to_contain_text(
        f"Le titre-service n° {expired} a expiré le 31/01/{year - 1}"
    )
    shoot(page, "titre-service-expired")

    page.locator("#side").get_by_text("Titre-service", exact=True).tap()
    page.locator("#reference").fill("")
    good = _titre(year, 2)
    page.locator("#reference").focus()
    page.keyboard.type(good + "\n")
    expect(page.locator("#side")).to_contain_text("Ticket payé")
    expect(page.locator("#side")).to_contain_text(good)
    shoot(page, "titre-service-paid")
    context.close()
