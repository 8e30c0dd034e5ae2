"""Every screen at kiosk size (800×480) and tablet size (1024×768), in each state a person
meets it: its actions are inside the viewport, nothing is cut
off sideways, a refusal shows where the person is looking, and each screen has a way back.

Fixed screens (opening, register, selling and its panels, the windows) must show every
action without scrolling the page. Long pages (closing, movements, closed days, a Z, the
printer) scroll by nature: there the action bar is sticky and in view at the top and at the
bottom of the page, the keypad stays beside the fields it fills, and every other action can
be scrolled to without being hidden under a bar."""

import re
import shutil

import pytest
from playwright.sync_api import expect

from app import create_app
from app.extensions import db
from app.services.lifecycle import register_state
from app.services.sessions import connect_seller as connect_seller_session
from app.sync.exporting import begin_export
from tests.support.browser import (
    ARTIFACTS,
    KIOSK,
    TABLET,
    LiveServer,
    connect_seller,
    identify,
    imported_till,
    keys,
    sign_in,
)
from tests.support.fit import Screens, button, link
from tests.support.helpers import register_config
from tests.support.sqlite_file import damage


def walk(page, live, screens: Screens):
    url = live.url
    # A: nothing imported yet.
    page.goto(url + "/")
    screens.check("opening-A", in_view=[button(page, "Importer")])
    codes = imported_till(live, ["Baguette tradition", "Croissant", "Ficelle"], opened=False)

    # Importer refused (wrong code): the window says so, Fermer takes the person back.
    page.reload()
    page.get_by_label("Vendeur", exact=True).select_option("VEND01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "9999")
    button(page, "Importer").tap()
    dialog = page.get_by_role("dialog")
    expect(dialog.get_by_role("alert")).to_have_text("Mot de passe incorrect.")
    screens.check("import-refused", back=link(page, "Fermer", dialog))
    link(page, "Fermer", dialog).tap()

    # B: Ouvrir brings the count window (counting is mandatory); Ouvrir refused there, the
    # message shows and the window's actions and keypad stay in view.
    screens.check(
        "opening-B", in_view=[button(page, "Ouvrir"), button(page, "Importer"), button(page, "Exporter")]
    )
    button(page, "Ouvrir").tap()
    expect(page.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    count_actions = [
        button(page, "Ouvrir"),
        link(page, "Annuler"),
        page.get_by_role("group", name="Pavé numérique"),
    ]
    sign_in(page, "RESP01", "1234", form="#opening-count", person_label="Responsable")
    button(page, "Ouvrir").tap()
    screens.refusal("Le comptage du fonds de caisse est obligatoire.")
    screens.check("opening-count-refused", fixed=False, in_view=count_actions, back=link(page, "Annuler"))
    page.get_by_role("button", name="Fermer le message").tap()  # its ✕ puts it away
    expect(page.get_by_role("alert")).to_have_count(0)
    page.get_by_text("Compter les espèces pièce par pièce").tap()
    screens.at_bottom()
    screens.check("opening-count-grid-bottom", fixed=False, in_view=count_actions)
    page.get_by_label("Espèces compté").tap()
    keys(page, "150", "#opening-count")
    page.get_by_label("Mot de passe", exact=True).fill("")  # a refusal for the count keeps the code
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#opening-count")
    button(page, "Ouvrir").tap()
    expect(button(page, "Connecter")).to_be_visible()
    screens.check("register", in_view=[button(page, "Connecter"), button(page, "Fermer la caisse")])

    # The printer page from the status strip, and back to where the person was.
    page.locator("#status").get_by_role("link").tap()  # the printer, from the status strip
    # The printer's queue shows receipts: a person with the right signs in first.
    expect(button(page, "S'identifier")).to_be_visible()
    screens.check("sign-in", in_view=[button(page, "S'identifier")], back=link(page, "Retour"))
    identify(page)
    expect(page.get_by_role("heading", name="Imprimante", exact=True)).to_be_visible()
    screens.check("printer-from-register", fixed=False, back=link(page, "‹ Retour"))
    screens.go_back(link(page, "‹ Retour"), url + "/caisse")
    expect(button(page, "Connecter")).to_be_visible()

    # Movements: a refusal (no amount) seen at the bottom where Enregistrer is.
    page.get_by_role("link", name="Entrées et sorties d'espèces").tap()
    screens.check("movements", fixed=False, back=link(page, "‹ Caisse"))
    screens.at_bottom()
    button(page, "Enregistrer le mouvement").tap()
    screens.refusal("Saisissez un montant.")
    screens.check("movements-refused", fixed=False)
    link(page, "‹ Caisse").tap()
    expect(button(page, "Connecter")).to_be_visible()

    # Liste des DC/RC, a filter it cannot read, the DC/RC form, its refusal and its Aperçu.
    link(page, "Liste des DC/RC").tap()
    screens.check("cash-documents", fixed=False, back=link(page, "‹ Caisse"))
    page.get_by_label("Numéro", exact=True).tap()
    keys(page, "1,2")
    button(page, "Filtrer").tap()
    expect(page.get_by_role("alert")).to_contain_text("n'est pas un numéro de document")
    screens.check("cash-documents-refused", fixed=False)
    page.goto(url + "/caisse/documents")
    link(page, "Nouveau DC/RC").tap()
    screens.check("cash-document-form", fixed=False, back=link(page, "‹ Liste des DC/RC"))
    button(page, "Aperçu").tap()
    screens.refusal("Saisissez un montant.")
    screens.check("cash-document-refused", fixed=False)
    page.get_by_label("Montant (EUR)").tap()
    keys(page, "5")
    page.get_by_role("button", name="Apport de monnaie").tap()
    button(page, "Aperçu").tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Dépense")
    screens.check("cash-document-preview", fixed=False, in_view=[button(page, "Valider et imprimer")])
    screens.at_top()
    screens.check("cash-document-preview-top", fixed=False, back=link(page, "‹ Liste des DC/RC"))
    page.goto(url + "/caisse")

    # Liste des transactions and the Remboursement manuel form, refused (card walk: a cancel).
    link(page, "Liste des transactions").tap()
    screens.check("card-transactions", fixed=False, back=link(page, "‹ Caisse"))
    link(page, "Remboursement manuel").tap()
    button(page, "Valider").tap()
    screens.refusal("Saisissez un montant.")
    screens.check("card-refund-refused", fixed=False, in_view=[button(page, "Valider")])
    screens.at_top()
    screens.check("card-refund-refused-top", fixed=False, back=link(page, "‹ Liste des transactions"))
    page.goto(url + "/caisse")

    # Personnes bloquées, with nobody locked, and back.
    link(page, "Personnes bloquées").tap()
    expect(page.get_by_text("Personne n'est bloqué.")).to_be_visible()
    screens.check("lockouts", back=link(page, "‹ Caisse"))
    link(page, "‹ Caisse").tap()
    expect(button(page, "Connecter")).to_be_visible()

    # Intégrité (the manager is still signed in): checked now, every chain on one screen, and back.
    link(page, "Intégrité").tap()
    button(page, "Vérifier maintenant").tap()
    expect(page.get_by_text("Toutes les chaînes sont intègres")).to_be_visible()
    screens.check("integrity", in_view=[button(page, "Vérifier maintenant")], back=link(page, "‹ Retour"))
    link(page, "‹ Retour").tap()
    expect(button(page, "Connecter")).to_be_visible()

    # Tablettes (linked from the register page when the tablets' side is open): with it
    # closed, the page says who opens it, and goes back.
    page.goto(url + "/tablettes")
    expect(page.get_by_text("L'accès des tablettes est fermé.", exact=False)).to_be_visible()
    screens.check("tablets", back=link(page, "‹ Caisse"))
    link(page, "‹ Caisse").tap()
    expect(button(page, "Connecter")).to_be_visible()

    # Selling: empty, with lines and a refused scan, each panel.
    connect_seller(page, url)
    screens.check("selling-empty", in_view=[link(page, "Payer"), button(page, "Déconnecter")])
    for name in ("Baguette tradition", "Croissant", "Ficelle", "Croissant"):
        page.keyboard.type(codes[name] + "\n")
        expect(page.locator("#ticket")).to_contain_text(name)
    page.keyboard.type("0000000000000\n")
    screens.refusal("Code inconnu")
    # The status strip's poll is not an action of the person's: the refusal stays.
    page.evaluate("""document.getElementById('status').dataset.old = '1';
        htmx.ajax('GET', '/status', {source: '#status', target: '#status', swap: 'outerHTML'})""")
    expect(page.locator("#status:not([data-old])")).to_be_attached()  # polled and drawn again
    expect(page.get_by_role("alert").filter(has_text="Code inconnu")).to_be_visible()
    screens.check(
        "selling-refused",
        in_view=[link(page, "Payer"), button(page, "Déconnecter"), link(page, "Annuler le ticket")],
    )
    link(page, "Boulangerie").tap()
    expect(page.get_by_role("button", name=re.compile("^Ficelle"))).to_be_visible()
    screens.check("selling-category", back=link(page, "‹ Catégories"))
    side = page.locator("#side")
    side.get_by_role("searchbox").fill("crois")
    expect(side.get_by_role("button", name=re.compile("^Croissant"))).to_be_visible()
    if page.get_by_role("button", name="Fermer le clavier").is_visible():  # the kiosk's keyboard
        page.get_by_role("button", name="Fermer le clavier").tap()
    screens.check("selling-search")
    page.get_by_role("link", name="Croissant").first.tap()
    expect(button(page, "Supprimer la ligne")).to_be_visible()
    screens.check(
        "selling-line",
        in_view=[button(page, "Changer la quantité"), button(page, "Supprimer la ligne")],
        back=link(page, "‹ Articles", side),
    )
    link(page, "Payer").tap()
    expect(button(page, "Encaisser")).to_be_visible()
    screens.check(
        "selling-pay",
        in_view=[button(page, "Encaisser")],  # Valider: once paid
        back=link(page, "‹ Articles", side),
    )
    link(page, "Remise sur le ticket", side).tap()
    expect(button(page, "Appliquer la remise")).to_be_visible()
    screens.check(
        "selling-discount", in_view=[button(page, "Appliquer la remise")], back=link(page, "‹ Articles", side)
    )
    link(page, "Annuler le ticket").tap()
    expect(side.get_by_role("button", name="Annuler le ticket")).to_be_visible()
    screens.check(
        "selling-cancel",
        in_view=[side.get_by_role("button", name="Annuler le ticket")],
        back=link(page, "‹ Articles", side),
    )
    link(page, "Tickets en attente").tap()
    expect(side).to_contain_text("Aucun ticket en attente")
    screens.check("selling-aside", back=link(page, "‹ Articles", side))
    link(page, "Retour").tap()
    expect(button(page, "Chercher le ticket")).to_be_visible()
    screens.check(
        "selling-return", in_view=[button(page, "Chercher le ticket")], back=link(page, "‹ Articles", side)
    )

    # Paid, validated: the receipt shows whole, prices included.
    link(page, "Payer").tap()
    side.get_by_text("Espèces", exact=True).tap()
    page.get_by_label("Montant", exact=True).tap()
    keys(page, "20", "#side")
    button(page, "Encaisser").tap()
    expect(button(page, "Valider")).to_be_enabled()
    screens.check("selling-paid", in_view=[button(page, "Valider")])
    button(page, "Valider").tap()
    receipt = page.get_by_label("Aperçu du ticket")
    expect(receipt).to_contain_text("TOTAL")
    screens.check("selling-receipt", in_view=[link(page, "Nouveau ticket")])

    # One basket left on screen: the closing is refused and lists it.
    page.keyboard.type(codes["Ficelle"] + "\n")
    expect(page.locator("#ticket")).to_contain_text("Ficelle")
    button(page, "Mettre en attente").tap()
    expect(side).to_contain_text("1 ligne")
    screens.check("selling-aside-one", back=link(page, "‹ Articles", side))
    button(page, "Déconnecter").tap()
    sign_in(page, "RESP01", "1234")
    button(page, "Fermer la caisse").tap()
    screens.refusal("1 ticket(s) en cours")
    in_progress = page.get_by_role("dialog")
    screens.check(
        "register-closing-refused",
        in_view=[button(page, "Annuler ce ticket", in_progress)],
        back=link(page, "Fermer", in_progress),
    )
    in_progress.get_by_label("Motif de l'annulation").fill("Client parti")
    in_progress.get_by_label("Mot de passe").tap()
    keys(page, "1234", "[role=dialog]")  # the window's own keypad
    in_progress.get_by_role("button", name="Annuler ce ticket").tap()
    expect(page.get_by_text("Ticket annulé.")).to_be_visible()

    # The closing page at its longest (a seller still connected on the tablet, the grid open):
    # keypad and actions in view at the top and the bottom.
    live.run(lambda: connect_seller_session(db.session, "VEND02", "2222"))
    sign_in(page, "RESP01", "1234")
    button(page, "Fermer la caisse").tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    page.get_by_text("Compter les espèces pièce par pièce").tap()
    closing_actions = [
        button(page, "Valider la fermeture"),
        button(page, "Annuler"),
        page.get_by_role("group", name="Pavé numérique"),
    ]
    screens.at_top()
    screens.check("closing-top", fixed=False, in_view=closing_actions, back=button(page, "Annuler"))
    page.get_by_role("button", name="Un de plus (0,01\u00a0€)").tap()
    screens.check("closing-grid-bottom", fixed=False, in_view=closing_actions)
    screens.at_bottom()
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "9", "#closing-form")
    button(page, "Valider la fermeture").tap()
    screens.refusal("Mot de passe incorrect.")
    screens.check("closing-refused", fixed=False, in_view=closing_actions)
    page.get_by_role("button", name="Un de moins (0,01\u00a0€)").tap()
    page.get_by_text("Forcer la fermeture", exact=True).tap()
    page.get_by_label("Motif de la fermeture forcée").fill("Vendeur parti")
    page.get_by_label("Espèces compté").tap()
    keys(page, "154,60", "#closing-form")  # 150,00 + 1,30 + 1,20 + 0,90 + 1,20
    page.get_by_label("Mot de passe", exact=True).fill("")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#closing-form")
    button(page, "Valider la fermeture").tap()
    expect(page.get_by_text(re.compile("La caisse est fermée"))).to_be_visible()
    screens.check(
        "opening-D", in_view=[button(page, "Ouvrir"), button(page, "Importer"), button(page, "Exporter")]
    )
    assert live.run(lambda: register_state(db.session).code) == "D"

    # Closed days, a Z, the printer and a preview: each with its way back.
    link(page, "Journées fermées").tap()
    screens.check("days", fixed=False, back=link(page, "‹ Retour"))
    link(page, "Ticket Z").first.tap()
    expect(page.get_by_label("Aperçu du ticket Z")).to_contain_text("RAPPORT DE 24H (Z)")
    screens.check("z-report", fixed=False, back=link(page, "‹ Journées fermées"))
    z_url = page.url
    page.locator("#status").get_by_role("link").tap()  # the printer, from the status strip
    screens.check("printer", fixed=False, back=link(page, "‹ Retour"))
    screens.go_back(link(page, "‹ Retour"), z_url)
    expect(page.get_by_label("Aperçu du ticket Z")).to_be_visible()  # back on the Z it came from
    page.locator("#status").get_by_role("link").tap()  # the printer, from the status strip
    page.locator(".jobs").get_by_role("link", name="Ticket", exact=True).first.tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("TOTAL")
    screens.check("preview", fixed=False, back=link(page, "‹ Imprimante"))

    # An error page, and the progress page of an export that runs (without JavaScript the
    # page reloads itself until the run ends): each with its way home.
    page.goto(url + "/imprimante/travaux/nothing-here")
    screens.check("error-404", back=link(page, "Retour à l'accueil"))
    run = live.run(lambda: begin_export(db.session, "RESP01").uuid)
    page.goto(f"{url}/sync/runs/{run}")
    expect(page.get_by_role("dialog")).to_contain_text("Synchronisation")
    screens.check("sync-running", back=link(page, "Retour à l'accueil"))


def damaged_screen(browser, path, headoffice, screens, viewport):
    """The damaged-database screen: what the technician does, and Réessayer once done."""
    damage(path)
    app = create_app(register_config(path, HEADOFFICE_TRANSPORT=headoffice))
    with LiveServer(app) as server:
        context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
        screens.page = page = context.new_page()
        page.goto(server.url + "/caisse")
        expect(page.get_by_role("heading", name=re.compile("endommagée"))).to_be_visible()
        screens.check("damaged-database", fixed=False, back=link(page, "Réessayer"))
        context.close()
    with app.app_context():
        db.engine.dispose()


@pytest.mark.parametrize("size, viewport", [("kiosk", KIOSK), ("tablet", TABLET)])
def test_every_screen_fits(
    browser, live, migrated_template, tmp_path, headoffice, shoot, request, size, viewport
):
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, size)
    walk(page, live, screens)
    context.close()
    damaged = tmp_path / "damaged.sqlite"
    shutil.copy(migrated_template, damaged)
    damaged_screen(browser, damaged, headoffice, screens, viewport)
    assert not screens.problems, "\n".join(screens.problems)
