"""A day of cash control at kiosk size (800×480), the manager also on a tablet (1024×768), with
taps only (the scanner types the barcodes): head office turns on cashier sessions and the safe;
two cashiers open their sessions with a counted float and sell; the manager closes the first
session from the tablet with the takings typed; the second cashier closes theirs with 2,00 €
of cheques more than they took, accepted, and its RC is in the Liste des DC/RC; the day's
closing expects what the sessions left, and the safe receives it; over the safe's limit the
manual's warning shows, and a deposit to the bank (Retrait Coffre-fort) clears it. Every
figure on screen is checked against what this test computes from the catalogue's prices
(docs/cashier-sessions.md, docs/closing.md, docs/safe.md)."""

import re

from playwright.sync_api import expect

from app.extensions import db
from app.models import Product
from app.money import format_euros
from tests.support.browser import ARTIFACTS, KIOSK, TABLET, identify, imported_till, keys, sign_in
from tests.support.cashier_sessions import sessions_at_head_office
from tests.support.fit import Screens, button, link
from tests.support.safe import safe_at_headoffice

FLOAT = 15000  # the day opened by imported_till
SAFE_CASH, LIMIT = 20000, 30000  # what head office says the safe holds, and its limit
FIRST_DEPOSIT, SECOND_DEPOSIT, FIRST_WITHDRAWAL, CHEQUES_OVER = 4500, 3000, 4000, 200


def typed(cents: int) -> str:
    """An amount as a person types it on the keypad."""
    return f"{cents // 100},{cents % 100:02d}"


def on_keyboard(page, text):
    """Type a word on the kiosk's on-screen keyboard (it opened when the field got the focus)."""
    keys(page, text, "#keyboard")
    page.locator("#keyboard").get_by_role("button", name="Fermer le clavier").tap()


def open_session(page, url, person, password, deposit):
    """Connecter, then the Ouverture de la session window: the deposit counted coin by coin."""
    page.goto(url + "/caisse")
    sign_in(page, person, password)
    button(page, "Connecter").tap()
    expect(page.get_by_role("heading", name="Ouverture de la session")).to_be_visible()
    page.get_by_text("Calculer la caisse").tap()
    for value, count in _pieces(deposit).items():
        for _ in range(count):
            page.get_by_role("button", name=f"Un de plus ({format_euros(value)})").tap()
    expect(page.get_by_label("Dépôt", exact=True)).to_have_value(typed(deposit))
    button(page, "Valider").tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    page.wait_for_load_state("domcontentloaded")


def _pieces(cents: int) -> dict[int, int]:
    pieces = {}
    for value in (2000, 1000, 500):
        pieces[value], cents = divmod(cents, value)
    assert cents == 0
    return {value: count for value, count in pieces.items() if count}


def sell(page, code, method, reference=None):
    page.keyboard.type(code + "\n")  # the scanner
    expect(page.locator("#ticket .line")).to_have_count(1)
    page.get_by_role("link", name="Payer").tap()
    page.locator("#side").get_by_text(method, exact=True).tap()
    if reference:
        page.get_by_label(re.compile("^Référence")).tap()
        on_keyboard(page, reference)
    page.get_by_role("button", name="Encaisser").tap()
    page.get_by_role("button", name="Valider").tap()
    expect(page.get_by_label("Aperçu du ticket")).to_be_visible()


def method_row(page, name):
    return page.locator("tr", has=page.get_by_role("rowheader", name=re.compile("^" + name)))


def test_a_day_with_cashier_sessions_ends_in_the_safe_and_the_bank(
    browser, live, headoffice_app, shoot, request
):
    sessions_at_head_office(headoffice_app)
    from headoffice.admin import grant_rights
    from headoffice.extensions import db as ho_db

    with headoffice_app.app_context():  # the second cashier may accept their own difference
        grant_rights("BOUTIQUE01", "VEND02", ["accept_difference"])
        ho_db.session.commit()
        ho_db.session.remove()
    safe_at_headoffice(headoffice_app, limit_cents=LIMIT, balances={"ESP": SAFE_CASH})
    codes = imported_till(live, ["Baguette tradition", "Croissant"])
    prices = live.run(lambda: dict(db.session.execute(db.select(Product.name, Product.price_cents)).all()))
    baguette, croissant = prices["Baguette tradition"], prices["Croissant"]
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    contexts = [
        browser.new_context(viewport=size, has_touch=True, locale="fr-FR") for size in (KIOSK, KIOSK, TABLET)
    ]
    first, second, tablet = (context.new_page() for context in contexts)
    screens = Screens(first, shoot, folder, "kiosk")

    # Two cashiers, two kiosks: each opens their session with a counted deposit and sells.
    open_session(first, live.url, "VEND01", "1111", FIRST_DEPOSIT)
    sell(first, codes["Baguette tradition"], "Espèces")
    open_session(second, live.url, "VEND02", "2222", SECOND_DEPOSIT)
    sell(second, codes["Croissant"], "Chèque", reference="12345")

    # The manager, on the tablet, closes the first session with the takings typed.
    tablet_screens = Screens(tablet, shoot, folder, "tablet")
    tablet.goto(live.url + "/caisse")
    link(tablet, "Sessions de caisse").tap()
    identify(tablet)
    tablet.get_by_role("link", name=re.compile(r"session n° 1$")).tap()
    expect(tablet.get_by_role("heading", name="Fermeture de la session n° 1")).to_be_visible()
    first_cash = FIRST_DEPOSIT + baguette
    cash_row = method_row(tablet, "Espèces")
    expect(cash_row).to_contain_text(format_euros(first_cash))
    tablet.get_by_label("Fonds de caisse réel Espèces").tap()
    keys(tablet, typed(first_cash), "#session-takings .keypad")
    tablet.get_by_label("Retrait Espèces").tap()
    keys(tablet, typed(FIRST_WITHDRAWAL), "#session-takings .keypad")
    expect(cash_row.locator("[data-remaining]")).to_have_text(format_euros(first_cash - FIRST_WITHDRAWAL))
    tablet.get_by_label("Qui ferme la session").select_option("RESP01")
    tablet.get_by_label("Mot de passe", exact=True).tap()
    keys(tablet, "1234", "#session-takings .keypad")
    tablet_screens.check("manager-closes-a-session", fixed=False, back=link(tablet, "Fermer"))
    button(tablet, "Valider").tap()
    expect(tablet.get_by_text("Session de caisse n° 1 fermée.")).to_be_visible()
    # Its cashier can sell no more here: disconnected; the second one still works.
    expect(tablet.locator(".status-connected")).to_contain_text("Vendeur2 De Caisse")
    expect(tablet.locator(".status-connected")).not_to_contain_text("Vendeur1")

    # The second cashier closes their own session: 2,00 € of cheques more than they took.
    screens.page = second
    second.get_by_role("button", name="Déconnecter").tap()
    sign_in(second, "VEND02", "2222")
    button(second, "Ma session de caisse").tap()
    expect(second.get_by_role("heading", name="Fermeture de la session n° 2")).to_be_visible()
    cheque_row = method_row(second, "Chèque")
    expect(cheque_row).to_contain_text(format_euros(croissant))
    cheques = croissant + CHEQUES_OVER
    second.get_by_label("Fonds de caisse réel Espèces").tap()
    keys(second, typed(SECOND_DEPOSIT), "#session-takings .keypad")
    second.get_by_label("Fonds de caisse réel Chèque").tap()
    keys(second, typed(cheques), "#session-takings .keypad")
    second.get_by_label("Mot de passe", exact=True).tap()
    keys(second, "2222", "#session-takings .keypad")
    screens.check("cashier-closes-with-a-difference", fixed=False, back=link(second, "Fermer"))
    button(second, "Valider").tap()
    expect(second.get_by_text("Session de caisse n° 2 fermée.")).to_be_visible()
    # Their session closed, they are no longer connected: the day's closing finds nobody.
    expect(second.locator(".status-connected")).to_have_count(0)

    # The day's closing, on the first kiosk: the drawer holds the float, both deposits and the
    # cash sale less the first session's withdrawal, and the cheques the second session found.
    screens.page = first
    first.get_by_role("button", name="Déconnecter").tap()  # still on the first cashier's screen
    sign_in(first, "RESP01", "1234")
    button(first, "Fermer la caisse").tap()
    expect(first.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    drawer_cash = FLOAT + FIRST_DEPOSIT + SECOND_DEPOSIT + baguette - FIRST_WITHDRAWAL
    figures = first.locator("table.closing-figures")
    expect(figures.locator("tr", has_text="Espèces").locator(".expected")).to_have_text(
        format_euros(drawer_cash)
    )
    expect(figures.locator("tr", has_text="Chèque").locator(".expected")).to_have_text(format_euros(cheques))
    first.get_by_label("Espèces compté").tap()
    keys(first, typed(drawer_cash), "#closing-form")
    first.get_by_label("Nombre de Chèque").tap()
    keys(first, "1", "#closing-form")
    first.get_by_label("Chèque compté").tap()
    keys(first, typed(cheques), "#closing-form")
    count = first.locator("table.closing-count")
    for code, kept in (("ESP", drawer_cash), ("CHQ", cheques)):
        expect(count.locator(f"tr[data-method={code}] [data-difference]")).to_have_text(format_euros(0))
        expect(count.locator(f"tr[data-method={code}] [data-remaining]")).to_have_text(format_euros(kept))
    first.get_by_label("Mot de passe", exact=True).tap()
    keys(first, "1234", "#closing-form")
    screens.check(
        "day-closing",
        fixed=False,
        in_view=[button(first, "Valider la fermeture"), button(first, "Annuler")],
        back=button(first, "Annuler"),
    )
    button(first, "Valider la fermeture").tap()
    expect(first.get_by_text(re.compile("La caisse est fermée : journée n° 1"))).to_be_visible()

    # The Liste des DC/RC: the second session's difference is an RC of cheques.
    link(first, "Liste des DC/RC").tap()
    if first.locator("#sign-in-form").count():  # the closing's sign-in may have ended
        identify(first)
    # The day's whole list, newest first: both deposits, the first session's withdrawal, the
    # RC of the second one's difference, and what the closing sent to the safe.
    to_safe = "Dépôt au coffre-fort à la clôture de la journée"
    listed = [
        ("DC 6", "Dépense", cheques, "Chèque", to_safe),
        ("DC 5", "Dépense", drawer_cash, "Espèces", to_safe),
        ("RC 4", "Recette", CHEQUES_OVER, "Chèque", "Écart à la fermeture de la session de caisse n° 2"),
        ("DC 3", "Dépense", FIRST_WITHDRAWAL, "Espèces", "Retrait à la clôture de la journée"),
        ("RC 2", "Recette", SECOND_DEPOSIT, "Espèces", "Dépôt à l'ouverture du jour"),
        ("RC 1", "Recette", FIRST_DEPOSIT, "Espèces", "Dépôt à l'ouverture du jour"),
    ]
    rows = first.locator("table.documents tbody tr")
    expect(rows).to_have_count(len(listed))
    for row, (number, kind, cents, method, description) in zip(rows.all(), listed):
        cells = row.locator("td")
        expect(cells.nth(0)).to_have_text(number)
        expect(cells.nth(1)).to_have_text(kind)
        expect(cells.nth(2)).to_have_text(format_euros(cents).replace("\u00a0", " "))
        expect(cells.nth(4)).to_have_text(method)
        expect(cells.nth(5)).to_have_text(description)
    screens.check("documents", fixed=False, back=link(first, "‹ Caisse"))

    # The next morning: the drawer was emptied into the safe, so the opening count finds 0,00.
    link(first, "‹ Caisse").tap()
    button(first, "Ouvrir").tap()
    expect(first.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    expect(first.locator("tr[data-method=ESP]")).to_contain_text(format_euros(0))
    first.get_by_label("Responsable", exact=True).select_option("RESP01")
    first.get_by_label("Mot de passe", exact=True).tap()
    keys(first, "1234", "#opening-count")
    button(first, "Ouvrir").tap()
    expect(button(first, "Connecter")).to_be_visible()

    # The safe received the drawer: over its limit, the manual's warning.
    safe_cash, safe_total = SAFE_CASH + drawer_cash, SAFE_CASH + drawer_cash + cheques
    link(first, "Coffre-fort").tap()
    if first.locator("#sign-in-form").count():
        identify(first)
    warning = first.get_by_role("alert").filter(has_text="Vous avez atteint la limite maximale")
    expect(warning).to_contain_text(
        f"Le fond de caisse maximale du coffre-fort est de : {format_euros(LIMIT)}. "
        f"Fonds de caisse actuel Coffre-fort : {format_euros(safe_total)}"
    )
    cash_line = first.locator("table.safe-methods tbody tr").filter(has_text="Espèces")
    expect(cash_line.locator("td").nth(4)).to_have_text(format_euros(safe_cash))
    cheque_line = first.locator("table.safe-methods tbody tr").filter(has_text="Chèque")
    expect(cheque_line.locator("td").nth(4)).to_have_text(format_euros(cheques))
    screens.check("safe-over-the-limit", fixed=False, back=link(first, "‹ Fermer"))

    # A deposit to the bank: all the safe's cash, the bank as the payer.
    link(first, "Retrait Coffre-fort").tap()
    expect(first.get_by_role("heading", name="Retrait Coffre-fort")).to_be_visible()
    first.get_by_label("Montant (EUR)").tap()
    keys(first, typed(safe_cash), "#safe-form .keypad")
    form = first.locator("#safe-form")
    form.get_by_text("Espèces", exact=True).tap()
    form.get_by_text("Client", exact=True).tap()
    first.get_by_label("Nom du client").tap()
    on_keyboard(first, "banque")
    first.get_by_label("Description").tap()
    on_keyboard(first, "depot")
    first.get_by_label("Responsable", exact=True).select_option("RESP01")
    first.get_by_label("Mot de passe", exact=True).tap()
    keys(first, "1234", "#safe-form .keypad")
    screens.check("deposit-to-the-bank", fixed=False, back=link(first, "‹ Coffre-fort"))
    button(first, "Valider").tap()
    # The closing made n° 1 and 2 (its cash and its cheques).
    expect(first.get_by_text("Retrait Coffre-fort n° 3 enregistré.")).to_be_visible()
    expect(first.get_by_text("Vous avez atteint la limite maximale")).to_have_count(0)
    expect(cash_line.locator("td").nth(4)).to_have_text(format_euros(0))
    expect(first.locator(".safe-total")).to_have_text(format_euros(cheques))
    screens.check("safe-after-the-bank", fixed=False, back=link(first, "‹ Fermer"))
    for context in contexts:
        context.close()
    problems = screens.problems + tablet_screens.problems
    assert not problems, "\n".join(problems)
