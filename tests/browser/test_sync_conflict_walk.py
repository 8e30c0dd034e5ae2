"""Exporter when head office holds a day with other content (docs/sync.md), on the touch
screen at 800×480 and 1024×768: the window says « Export bloqué » (never « Export
terminé »), and the opening page shows what to do with Ouvrir / Importer / Exporter still
in view."""

import json

import httpx
import pytest
from playwright.sync_api import expect

from app.extensions import db
from app.models import RegisterDay
from tests.support.browser import KIOSK, TABLET, imported_till, in_viewport, type_on_keypad
from tests.support.helpers import close_counted


@pytest.mark.parametrize("size, viewport", [("kiosk", KIOSK), ("tablet", TABLET)])
def test_a_refused_day_is_shown_blocked_with_the_way_out(browser, live, headoffice, shoot, size, viewport):
    imported_till(live, [])
    live.run(lambda: close_counted(db.session))
    day = live.run(lambda: db.session.scalars(db.select(RegisterDay.uuid)).one())

    def holds_other_content(request):
        if request.method != "PUT":
            return headoffice.real.handle_request(request)
        return httpx.Response(
            409,
            content=json.dumps(
                {
                    "error": "day_conflict",
                    "days": [{"day_uuid": day, "batch_id": day}],
                    "message": f"Day(s) already received in another batch with other content: {day}",
                }
            ).encode(),
            headers={"Content-Type": "application/json"},
        )

    headoffice.override = holds_other_content
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live.url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("RESP01")
    type_on_keypad(page, "Mot de passe", "1234")
    page.get_by_role("button", name="Exporter", exact=True).tap()

    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_contain_text("Export bloqué")
    expect(page.get_by_text("Export terminé")).to_have_count(0)
    shoot(page, f"{size}-export-blocked")
    dialog.get_by_role("link", name="Fermer").tap()

    banner = page.locator(".sync-conflict").get_by_role("alert")
    expect(banner).to_contain_text("Appelez le technicien")
    assert banner.bounding_box()["height"] <= 90  # two lines at 800 px: the actions stay near
    page.locator(".sync-conflict summary").tap()
    expect(page.locator(".sync-conflict code")).to_contain_text("sync set-aside")
    page.locator(".sync-conflict summary").tap()
    for name in ("Ouvrir", "Importer", "Exporter"):
        assert in_viewport(page, page.get_by_role("button", name=name, exact=True)), name
    shoot(page, f"{size}-opening-conflict")
    context.close()
