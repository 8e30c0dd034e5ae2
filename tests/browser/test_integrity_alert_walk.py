"""Head office refuses a batch because the register's signed chains do not continue
(docs/integrity.md), on the touch screen at 800×480 and 1024×768: the window says « Export
bloqué », the opening page shows the integrity alert — what it means, what to do, the
technician's fold — with Ouvrir / Importer / Exporter still in view, and the status strip
shows « Alerte intégrité »."""

import json

import httpx
import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.support.browser import KIOSK, TABLET, imported_till, in_viewport, type_on_keypad
from tests.support.helpers import close_counted


@pytest.mark.parametrize("size, viewport", [("kiosk", KIOSK), ("tablet", TABLET)])
def test_an_integrity_refusal_is_shown_with_what_to_do(browser, live, headoffice, shoot, size, viewport):
    imported_till(live, [])
    live.run(lambda: close_counted(db.session))

    def forked(request):
        if request.method != "PUT":
            return headoffice.real.handle_request(request)
        return httpx.Response(
            409,
            content=json.dumps(
                {
                    "error": "chain_fork",
                    "chain": "ticket",
                    "number": 2,
                    "message": "The batch's records differ from records head office already holds under the "
                    "same numbers. ticket n°2: head office holds another record under this number.",
                }
            ).encode(),
            headers={"Content-Type": "application/json"},
        )

    headoffice.override = forked
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("RESP01")
    type_on_keypad(page, "Mot de passe", "1234")
    page.get_by_role("button", name="Exporter", exact=True).tap()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("chain_fork")
    dialog.get_by_role("link", name="Fermer").tap()

    alert = page.locator(".integrity-alert")
    headline = alert.get_by_role("alert")
    expect(headline).to_contain_text("Alerte d'intégrité")
    expect(headline).to_contain_text("prévenez le responsable")
    assert headline.bounding_box()["height"] <= 90  # two lines at 800 px: the actions stay near
    expect(page.locator(".status-alert")).to_have_text("Alerte intégrité")
    expect(page.locator(".sync-conflict")).to_have_count(0)  # one notice, the precise one
    alert.locator("summary").tap()
    expect(alert.get_by_text("ancienne sauvegarde")).to_be_visible()
    expect(alert.get_by_text("sync set-aside")).to_be_visible()
    shoot(page, f"{size}-integrity-alert-why")
    alert.locator("summary").tap()
    for name in ("Ouvrir", "Importer", "Exporter"):
        assert in_viewport(page, page.get_by_role("button", name=name, exact=True)), name
    shoot(page, f"{size}-integrity-alert")
    context.close()
