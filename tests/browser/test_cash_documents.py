"""Cash documents at kiosk and tablet size, with taps only: a DC and an RC made from the form
(Aperçu, then Valider et imprimer), found again in the Liste des DC/RC with a filter, and the
slip as it printed (docs/cash-documents.md)."""

import re

from playwright.sync_api import expect

from tests.support.browser import ARTIFACTS, KIOSK, both_sizes, identify, imported_till, in_viewport, keys
from tests.support.fit import Screens, button, link


def make_document(page, kind, amount, method, reason, employee=None):
    """The DC/RC form, filled with taps: type, amount on the keypad, method, payer, a usual
    description; Aperçu; the manager's code; Valider et imprimer."""
    link(page, "Nouveau DC/RC").tap()
    page.get_by_text(kind, exact=True).tap()
    page.get_by_label("Montant (EUR)").tap()
    keys(page, amount, "#document-form .keypad")
    page.locator("#document-form").get_by_text(method, exact=True).tap()
    if employee:
        page.get_by_text("Employé", exact=True).first.tap()
        page.get_by_label("Nom de l'employé", exact=True).select_option(employee)
    page.get_by_role("button", name=reason).tap()
    button(page, "Aperçu").tap()
    preview = page.get_by_label("Aperçu du ticket")
    expect(preview).to_contain_text(kind.split(" ")[0])
    page.get_by_label("Responsable", exact=True).select_option("RESP01")
    page.get_by_label("Mot de passe", exact=True).tap()
    keys(page, "1234", "#document-form .keypad")
    button(page, "Valider et imprimer").tap()
    expect(page.get_by_role("heading", name=re.compile(r"^(DC|RC) \d+"))).to_be_visible()


@both_sizes
def test_a_dc_and_an_rc_with_taps_only(browser, live, shoot, request, viewport):
    imported_till(live, [])
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, "kiosk" if viewport == KIOSK else "tablet")
    page.goto(live.url + "/caisse")
    link(page, "Liste des DC/RC").tap()
    identify(page)
    expect(page.get_by_text("Aucun document de caisse.")).to_be_visible()

    make_document(page, "RC — Recette", "40", "Espèces", "Apport de monnaie")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Recette")
    link(page, "‹ Liste des DC/RC").tap()
    make_document(page, "DC — Dépense", "12,5", "Espèces", "Retrait pour un convoyeur", employee="VEND01")
    slip = page.get_by_label("Aperçu du ticket")
    expect(slip).to_contain_text("Dépense")
    expect(slip).to_contain_text("12,50")
    expect(slip).to_contain_text("Payant (Employé)")
    screens.check("cash-document", fixed=False, back=link(page, "‹ Liste des DC/RC"))

    # The list: both, newest first; the DC alone with the type filter, by taps.
    link(page, "‹ Liste des DC/RC").tap()
    rows = page.locator("table.documents tbody tr")
    expect(rows).to_have_count(2)
    expect(rows.first).to_contain_text("Dépense")
    page.get_by_text("DC — Dépense", exact=True).tap()
    button(page, "Filtrer").tap()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("12,50")
    # The amount of the RC on the keypad, any type, today's button.
    page.get_by_text("Tous", exact=True).tap()
    page.get_by_label("Montant", exact=True).tap()
    keys(page, "40", ".filters .keypad")
    button(page, "Filtrer").tap()
    expect(rows).to_have_count(1)
    expect(rows.first).to_contain_text("Recette")
    link(page, "Aujourd'hui").tap()
    expect(rows).to_have_count(1)
    link(page, "Hier").tap()
    expect(page.get_by_text("Aucun document de caisse.")).to_be_visible()
    screens.check("cash-documents-filtered", fixed=False, back=link(page, "‹ Caisse"))
    context.close()
    assert not screens.problems, "\n".join(screens.problems)


# Where the centre of an element is, what a tap there reaches.
TAPPED = """(e) => { const r = e.getBoundingClientRect();
  const top = document.elementFromPoint(r.x + r.width / 2, r.y + r.height / 2);
  return top === e || e.contains(top); }"""


def _overlap(a, b) -> bool:
    return (
        a["x"] < b["x"] + b["width"]
        and b["x"] < a["x"] + a["width"]
        and a["y"] < b["y"] + b["height"]
        and b["y"] < a["y"] + a["height"]
    )


@both_sizes
def test_a_notice_leaves_the_language_switch_free(browser, live, viewport):
    """A notice lies over the status strip until dismissed: its ✕ (and the rest of it) never
    covers FR / EN, which stay tappable, and the ✕ still closes it."""
    imported_till(live, [], opened=False)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    page = context.new_page()
    page.goto(live.url + "/caisse/documents")
    identify(page)
    expect(page.get_by_text("Aucun document de caisse.")).to_be_visible()
    page.goto(live.url + "/caisse/documents/nouveau")  # back to the list, a notice says why
    notice = page.locator("#messages .message").first
    expect(notice).to_contain_text("La caisse n'est pas ouverte.")
    close = notice.locator(".message-close")
    for lang in ("FR", "EN"):
        switch = page.locator(".status-lang").get_by_role("button", name=lang)
        assert not _overlap(close.bounding_box(), switch.bounding_box()), lang
        assert not _overlap(notice.bounding_box(), switch.bounding_box()), lang
        assert switch.evaluate(TAPPED), f"{lang} is under the notice"
    assert close.evaluate(TAPPED) and in_viewport(page, close)
    close.tap()
    expect(page.locator("#messages .message")).to_have_count(0)
    context.close()
