"""The full walk of docs/flows.md on the touch screen, as a manager and a seller do
it: A → Importer → B → Ouvrir → C → Connecter → (close) → D → Ouvrir → … → Exporter → A."""

import re

import pytest
from playwright.sync_api import expect

from app.extensions import db
from tests.support.browser import KIOSK, TABLET, type_on_keypad
from tests.support.helpers import close_counted

LABELS = {
    "fr": {
        "open": "Ouvrir",
        "import": "Importer",
        "export": "Exporter",
        "connect": "Connecter",
        "disconnect": "Déconnecter",
        "register": "Caisse",
        "person": "Vendeur",
        "password": "Mot de passe",
        "count": "Comptage à l'ouverture",
        "cash": "Espèces compté",
        "manager": "Responsable",
        "title": "Ouverture de la caisse",
        "imported": "Import terminé : caisse CAISSE01.",
        "wrong": "Mot de passe incorrect.",
        "exported": "Export terminé",
        "terminal": "Terminal WEB01 sur appareil 'FF Gui'",
    },
    "en": {
        "open": "Open",
        "import": "Import",
        "export": "Export",
        "connect": "Connect",
        "disconnect": "Disconnect",
        "register": "Register",
        "person": "Seller",
        "password": "Password",
        "count": "Count at opening",
        "cash": "Espèces counted",  # the method's name is head office's
        "manager": "Manager",
        "title": "Register opening",
        "imported": "Import finished: register CAISSE01.",
        "wrong": "Wrong password.",
        "exported": "Export finished",
        "terminal": "Terminal WEB01 on device 'FF Gui'",
    },
}


def expect_buttons(page, t, open_, import_, export):
    for name, wanted in ((t["open"], open_), (t["import"], import_), (t["export"], export)):
        button = page.get_by_role("button", name=name, exact=True)
        if wanted:
            expect(button).to_be_enabled()
        else:
            expect(button).to_be_disabled()


def open_with_count(page, t, cash):
    page.get_by_role("button", name=t["open"], exact=True).tap()
    expect(page.get_by_role("heading", name=t["count"])).to_be_visible()
    type_on_keypad(page, t["cash"], cash)
    expect(page.get_by_label(t["cash"], exact=True)).to_have_value(cash)
    page.get_by_label(t["manager"], exact=True).select_option("RESP01")
    type_on_keypad(page, t["password"], "1234")
    page.get_by_role("button", name=t["open"], exact=True).tap()


def close_through_the_service(live):
    live.run(lambda: close_counted(db.session))


def walk(page, live, t, shoot, size):
    page.goto(live.url + "/")
    expect(page.get_by_role("heading", name=t["title"])).to_be_visible()
    expect_buttons(page, t, open_=False, import_=True, export=False)
    expect(page.get_by_label(t["register"], exact=True)).to_be_enabled()
    shoot(page, f"{size}-A")

    # A → Importer → B, the progress window on the way.
    # CAISSE01 is offered first; choosing another register reloads the people (HTMX).
    expect(page.get_by_label(t["register"], exact=True)).to_have_value("CAISSE01")
    page.get_by_label(t["person"], exact=True).select_option("VEND01")
    type_on_keypad(page, t["password"], "1111")
    page.get_by_role("button", name=t["import"], exact=True).tap()
    expect(page.get_by_text(t["imported"])).to_be_visible()
    expect_buttons(page, t, open_=True, import_=True, export=False)
    shoot(page, f"{size}-B")

    # B → Ouvrir → the count window (the demo registers count the float: the cash counted on
    # the keypad, the manager's code) → C.
    open_with_count(page, t, "150,00")
    expect(page.get_by_text(t["terminal"])).to_be_visible()
    expect(page.get_by_text(re.compile(r"\d\d/\d\d/\d{4} \d\d:\d\d:\d\d"))).to_be_visible()
    shoot(page, f"{size}-C")

    # C → Connecter → the selling placeholder → Déconnecter.
    page.get_by_label(t["person"], exact=True).select_option("VEND02")
    type_on_keypad(page, t["password"], "2222")
    page.get_by_role("button", name=t["connect"], exact=True).tap()
    expect(page.get_by_text("Vendeur2 De Caisse").first).to_be_visible()
    shoot(page, f"{size}-connected")
    page.get_by_role("button", name=t["disconnect"], exact=True).tap()
    expect(page.get_by_role("button", name=t["connect"], exact=True)).to_be_visible()

    # Close through the service for now → D: register locked, Ouvrir and Exporter.
    close_through_the_service(live)
    page.goto(live.url + "/")
    expect_buttons(page, t, open_=True, import_=False, export=True)
    expect(page.get_by_label(t["register"], exact=True)).to_be_disabled()
    shoot(page, f"{size}-D")

    # D → Ouvrir again (same register: what the closing left, counted) → C → close → D.
    open_with_count(page, t, "150,00")
    expect(page.get_by_text("CAISSE01").first).to_be_visible()
    expect(page.get_by_role("button", name=t["connect"], exact=True)).to_be_visible()
    close_through_the_service(live)
    page.goto(live.url + "/")
    expect_buttons(page, t, open_=True, import_=False, export=True)

    # D → Exporter → A.
    page.get_by_label(t["person"], exact=True).select_option("RESP01")
    type_on_keypad(page, t["password"], "1234")
    page.get_by_role("button", name=t["export"], exact=True).tap()
    expect(page.get_by_text(t["exported"])).to_be_visible()
    expect_buttons(page, t, open_=False, import_=True, export=False)
    shoot(page, f"{size}-A-again")


@pytest.mark.parametrize("size, viewport", [("kiosk", KIOSK), ("tablet", TABLET)])
def test_walk_in_french(browser, live, shoot, size, viewport):
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    walk(page, live, LABELS["fr"], shoot, size)
    context.close()


def test_walk_in_english(page, live, shoot):
    page.goto(live.url + "/")
    page.get_by_role("button", name="EN", exact=True).tap()
    expect(page.get_by_role("heading", name="Register opening")).to_be_visible()
    walk(page, live, LABELS["en"], shoot, "kiosk-en")


def test_wrong_password_shows_the_message(page, live, shoot):
    page.goto(live.url + "/")
    page.get_by_label("Vendeur", exact=True).select_option("VEND01")
    type_on_keypad(page, "Mot de passe", "9999")
    page.get_by_role("button", name="Importer", exact=True).tap()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_have_text("Mot de passe incorrect.")
    shoot(page, "wrong-password")
    dialog.get_by_role("link", name="Fermer").tap()
    expect_buttons(page, LABELS["fr"], open_=False, import_=True, export=False)
