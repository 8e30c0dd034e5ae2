"""Words typed on the kiosk (docs/selling.md): the on-screen keyboard types the reasons, a
search and a code with taps only (never page.keyboard or fill for those fields), the usual
reasons are one tap away, the keypad types into the field that has the focus, and a tablet,
which has its own keyboard, gets none."""

import re

import pytest
from playwright.sync_api import expect
from sqlalchemy import select

from app import create_app
from app.extensions import db
from app.models import Ticket
from app.services.sessions import connect_seller as connect_from_elsewhere
from tests.support.browser import (
    ARTIFACTS,
    KIOSK,
    TABLET,
    LiveServer,
    connect_seller,
    identify,
    imported_till,
    keys,
    save_screenshot,
    sign_in,
)
from tests.support.helpers import journal, register_config

LOWER = set("1234567890azertyuiopqsdfghjklmwxcvbn'-,.")
UPPER = set("AZERTYUIOPQSDFGHJKLMWXCVBN")
ACCENTS = set("éèêëàâäùûüçîïôöœæ@/&()!?:;+€%")
ACCENTS_UPPER = set("ÉÈÊËÀÂÄÙÛÜÇÎÏÔÖŒÆ")


def keyboard(page):
    return page.get_by_role("group", name="Clavier")


def osk_type(page, text):
    """Tap each character on the on-screen keyboard, changing layer as a person would."""
    board = keyboard(page)
    for char in text:
        if char == " ":
            board.get_by_role("button", name="Espace").tap()
            continue
        key = board.get_by_role("button", name=char, exact=True)
        if not key.is_visible():
            accents = char in ACCENTS or char in ACCENTS_UPPER
            if accents and board.get_by_role("button", name="Accents et symboles").is_visible():
                board.get_by_role("button", name="Accents et symboles").tap()
            if not accents and board.get_by_role("button", name="Lettres").is_visible():
                board.get_by_role("button", name="Lettres").tap()
            if char in UPPER or char in ACCENTS_UPPER:
                board.get_by_role("button", name="Majuscules").tap()
        assert char in LOWER | UPPER | ACCENTS | ACCENTS_UPPER, char
        key.tap()


def expect_above_keyboard(page, field):
    """The field being typed into is in sight, above the docked keyboard."""
    expect(keyboard(page)).to_be_visible()
    expect(field).to_be_in_viewport()
    board, box = keyboard(page).bounding_box(), field.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= board["y"], (box, board)


@pytest.fixture
def screen(request):
    """What the person sees (the viewport, keyboard included), for a reviewer: tests/artifacts/."""
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    folder.mkdir(parents=True, exist_ok=True)
    return lambda page, name: save_screenshot(page, folder / f"screen-{name}.png")


def close_page(page):
    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()


def test_forced_closing_with_a_reason_typed_on_the_kiosk(page, live, screen):
    imported_till(live, [])
    live.run(lambda: connect_from_elsewhere(db.session, "VEND01", "1111"))  # left on a tablet
    page.goto(live.url + "/caisse")
    close_page(page)
    expect(keyboard(page)).to_be_hidden()

    page.get_by_label("Forcer la fermeture").tap()
    reason = page.get_by_label("Motif de la fermeture forcée")
    reason.tap()
    expect_above_keyboard(page, reason)
    osk_type(page, "Vendeur parti, clé oubliée")
    expect(reason).to_have_value("Vendeur parti, clé oubliée")
    screen(page, "force-reason")
    keyboard(page).get_by_role("button", name="Accents et symboles").tap()
    keyboard(page).get_by_role("button", name="Majuscules").tap()
    screen(page, "accents-capitals")
    keyboard(page).get_by_role("button", name="Fermer le clavier").tap()
    expect(keyboard(page)).to_be_hidden()

    page.get_by_label("Espèces compté").tap()
    keys(page, "150")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234")
    page.get_by_role("button", name="Valider la fermeture").tap()
    expect(page.get_by_text(re.compile("La caisse est fermée : journée n° 1"))).to_be_visible()
    reasons = live.run(lambda: [row.reason for row in journal("force_close")])
    assert reasons == ["Vendeur parti, clé oubliée"]


def test_closing_with_a_difference_a_usual_reason_edited_and_ok(page, live, screen):
    imported_till(live, [])
    page.goto(live.url + "/caisse")
    close_page(page)
    page.get_by_label("Espèces compté").tap()
    keys(page, "149")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234")

    # One tap gives the usual reason; the keyboard adds to it; OK validates as Enter would.
    page.get_by_role("button", name="Erreur de comptage", exact=True).tap()
    reason = page.get_by_label("Motif de l'écart — Espèces")
    expect(reason).to_have_value("Erreur de comptage")
    expect(page.get_by_role("button", name="Erreur de comptage", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    reason.tap()
    expect_above_keyboard(page, reason)
    keyboard(page).get_by_role("button", name="Effacer").tap()
    osk_type(page, "e (pièce égarée)")
    expect(reason).to_have_value("Erreur de comptage (pièce égarée)")
    screen(page, "difference-reason")
    keyboard(page).get_by_role("button", name="OK (Entrée)").tap()
    expect(page.get_by_text(re.compile("La caisse est fermée : journée n° 1"))).to_be_visible()
    reasons = live.run(lambda: [row.reason for row in journal("accept_difference")])
    assert reasons == ["Erreur de comptage (pièce égarée)"]


def test_a_code_and_a_search_typed_without_the_scanner(page, live, screen):
    codes = imported_till(live, ["Baguette tradition"])
    connect_seller(page, live.url)
    expect(keyboard(page)).to_be_hidden()  # the scan field holds the focus without it

    page.get_by_role("button", name="Taper un code").tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    expect_above_keyboard(page, page.get_by_label("Code article"))
    osk_type(page, codes["Baguette tradition"])
    screen(page, "code-typed")
    keyboard(page).get_by_role("button", name="OK (Entrée)").tap()
    expect(page.locator("#ticket")).to_contain_text("Baguette tradition")
    expect(keyboard(page)).to_be_hidden()

    search = page.get_by_label("Rechercher un article")
    search.tap()
    expect_above_keyboard(page, search)
    osk_type(page, "crois")
    expect(search).to_have_value("crois")
    result = page.locator("#results").get_by_role("button", name=re.compile(r"^Croissant \d"))
    expect(result).to_be_visible()
    screen(page, "search-typed")
    result.tap()
    expect(page.locator("#ticket")).to_contain_text("Croissant")

    # The scan field holds the focus for the scanner, not because the person chose it: the
    # payment keypad still types the amount.
    page.get_by_role("link", name="Payer").tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    keys(page, "5", "#side")
    expect(page.get_by_label("Montant", exact=True)).to_have_value("5")
    expect(page.get_by_label("Code article")).to_have_value("")


def test_the_keypad_types_into_the_focused_field_of_the_in_progress_refusal(page, live, shoot):
    codes = imported_till(live, ["Ficelle"])
    connect_seller(page, live.url)
    page.keyboard.type(codes["Ficelle"] + "\n")  # the scanner
    expect(page.locator("#ticket")).to_contain_text("Ficelle")
    page.get_by_role("button", name="Mettre en attente").tap()
    expect(page.locator("#side")).to_contain_text("1 ligne")
    page.get_by_role("button", name="Déconnecter").tap()

    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    refusal = page.get_by_role("dialog", name=re.compile("^Fermeture impossible"))
    expect(refusal).to_be_visible()
    # The window's keypad belongs to no form: it types into the field that has the focus (a
    # ticket's cancel form), never into the register form's field beneath the window.
    refusal.get_by_label("Mot de passe").tap()
    keys(page, "1234", "[role=dialog]")
    expect(refusal.get_by_label("Mot de passe")).to_have_value("1234")
    expect(page.locator("#register-form").get_by_label("Mot de passe")).to_have_value("")
    # The refusal came by an HTMX swap: its text field gets the keyboard all the same.
    refusal.get_by_label("Motif de l'annulation").tap()
    expect_above_keyboard(page, refusal.get_by_label("Motif de l'annulation"))
    osk_type(page, "à")
    expect(refusal.get_by_label("Motif de l'annulation")).to_have_value("à")
    refusal.get_by_role("button", name="Ticket oublié en attente").tap()
    expect(refusal.get_by_label("Motif de l'annulation")).to_have_value("Ticket oublié en attente")
    keyboard(page).get_by_role("button", name="Fermer le clavier").tap()
    shoot(page, "in-progress")
    refusal.get_by_role("button", name="Annuler ce ticket").tap()
    expect(page.get_by_text("Ticket annulé.")).to_be_visible()
    cancelled = live.run(
        lambda: db.session.scalars(select(Ticket.cancel_reason).where(Ticket.status == "cancelled")).all()
    )
    assert cancelled == ["Ticket oublié en attente"]


class FromTheWifi:
    """A tablet on the shop Wi-Fi: the server sees a LAN peer, not loopback."""

    def __init__(self, wsgi_app):
        self.wsgi_app = wsgi_app

    def __call__(self, environ, start_response):
        environ["REMOTE_ADDR"] = "192.168.1.40"
        return self.wsgi_app(environ, start_response)


@pytest.fixture
def lan_live(db_path, headoffice):
    app = create_app(register_config(db_path, HEADOFFICE_TRANSPORT=headoffice))
    app.wsgi_app = FromTheWifi(app.wsgi_app)
    with LiveServer(app) as server:
        yield server
    with app.app_context():
        db.engine.dispose()


def test_a_tablet_keeps_its_own_keyboard(browser, lan_live, shoot):
    imported_till(lan_live, [])
    context = browser.new_context(viewport=TABLET, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.goto(lan_live.url + "/caisse/mouvements")
    identify(page)  # the day's movements: a manager signs in first
    reason = page.get_by_label("Motif", exact=True)
    reason.tap()
    expect(reason).to_be_focused()
    expect(keyboard(page)).to_have_count(0)
    expect(page.locator("body")).not_to_have_attribute("data-keyboard", "on")
    # The usual reasons serve a tablet too.
    page.get_by_role("button", name="Apport de monnaie").tap()
    expect(reason).to_have_value("Apport de monnaie")
    shoot(page, "tablet-movement")

    # Without a scanner, the scan field takes the tablet's own keyboard on request.
    connect_seller(page, lan_live.url)
    page.get_by_role("button", name="Taper un code").tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    expect(page.get_by_label("Code article")).to_have_attribute("inputmode", "text")
    context.close()


def test_kiosk_keyboard_at_kiosk_size_only_for_text_fields(page, live):
    """The keypad's fields keep the keypad; the keyboard closes when the focus goes there."""
    imported_till(live, [])
    page.set_viewport_size(KIOSK)
    page.goto(live.url + "/caisse/mouvements")
    identify(page)
    page.get_by_label("Motif", exact=True).tap()
    expect(keyboard(page)).to_be_visible()
    page.get_by_label("Montant", exact=True).tap()
    expect(keyboard(page)).to_be_hidden()
    keys(page, "12")
    expect(page.get_by_label("Montant", exact=True)).to_have_value("12")


def test_a_code_with_letters_is_typed_on_the_keyboard_and_ok_connects(page, live, screen):
    """Codes are digits on the keypad; ABC beside the field gives the keyboard for the others."""
    imported_till(live, [])
    page.goto(live.url + "/caisse")
    form = page.locator("#register-form")
    form.get_by_label("Vendeur", exact=True).select_option("VEND01")
    form.get_by_role("button", name="Code avec des lettres").tap()
    password = form.get_by_label("Mot de passe", exact=True)
    expect(password).to_be_focused()
    expect_above_keyboard(page, password)
    osk_type(page, "1111")
    screen(page, "code-with-letters")
    keyboard(page).get_by_role("button", name="OK (Entrée)").tap()  # Enter: the first button, Connecter
    expect(page.get_by_label("Code article")).to_be_focused()
