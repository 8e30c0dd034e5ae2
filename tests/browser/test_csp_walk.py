"""The screens with the Content-Security-Policy on (docs/access.md): nothing the browser
refuses on the way (no inline script, style or hx-on handler), and htmx and the page scripts
still do their work — a refused code is wiped, Connecter leads to the sale, a scan adds a
line, the category tiles take their colour, the closing grid counts. Pages that need a right
show the sign-in form, and Sortir ends the sign-in."""

from playwright.sync_api import expect

from tests.support.browser import both_sizes, identify, imported_till, keys, pay_all_and_valider, sign_in

# Collected before any script of the page runs (Playwright's init scripts are not subject
# to the page's policy).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => {
  window.__violations.push(`${e.violatedDirective} ${e.blockedURI} ${e.sample || ""}`);
});
"""


@both_sizes
def test_the_screens_run_under_the_policy(browser, live, shoot, viewport):
    codes = imported_till(live, ["Baguette tradition"], opened=False)
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    reported = []
    page.on(
        "console",
        lambda message: (
            reported.append(message.text)
            if "Content Security Policy" in message.text or "Refused to" in message.text
            else None
        ),
    )

    def clean(screen):
        violations = page.evaluate("window.__violations")
        assert violations == [] and reported == [], (screen, violations, reported)
        # htmx's indicator styles come from comptoir.css, never an injected <style>.
        assert page.locator("style").count() == 0, screen
        shoot(page, screen)

    # Ouvrir brings the count window (counting is mandatory), which posts through htmx and
    # follows HX-Redirect; its grid and differences are closing.js's.
    page.goto(live.url + "/")
    response = page.request.get(live.url + "/")
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]
    clean("opening")
    page.get_by_role("button", name="Ouvrir", exact=True).tap()
    expect(page.get_by_role("heading", name="Comptage à l'ouverture")).to_be_visible()
    page.get_by_label("Espèces compté").tap()
    keys(page, "150", "#opening-count")
    sign_in(page, "RESP01", "1234", form="#opening-count", person_label="Responsable")
    clean("opening-count")
    page.get_by_role("button", name="Ouvrir", exact=True).tap()

    # A refused code is wiped from the field (page.js, where an hx-on handler used to be).
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()
    sign_in(page, "VEND02", "9999")
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_role("alert")).to_have_text("Mot de passe incorrect.")
    expect(page.locator("#register-form").get_by_label("Mot de passe", exact=True)).to_have_value("")
    clean("register")

    # Connecter (htmx follows HX-Redirect), a scan, the tiles' colours, a sale.
    sign_in(page, "VEND01", "1111")
    page.get_by_role("button", name="Connecter", exact=True).tap()
    expect(page.get_by_label("Code article")).to_be_focused()
    page.keyboard.type(codes["Baguette tradition"] + "\n")
    expect(page.locator("#ticket .line")).to_have_count(1)
    tile = page.get_by_role("link", name="Boulangerie")
    colour = tile.get_attribute("data-tile")
    expect(tile).to_have_css("--tile", colour)
    pay_all_and_valider(page, "Carte Bancaire")
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Ticket n° 1")
    clean("selling")
    page.get_by_role("button", name="Déconnecter").tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # The printer screen needs a right: the sign-in form, then the page and a preview.
    page.get_by_role("link", name="Imprimante et tiroir").tap()
    expect(page.get_by_role("button", name="S'identifier")).to_be_visible()
    clean("sign-in")
    identify(page)
    expect(page.get_by_role("heading", name="Imprimante", exact=True)).to_be_visible()
    page.get_by_role("link", name="Ticket", exact=True).first.tap()
    expect(page.get_by_label("Aperçu du ticket")).to_contain_text("Baguette tradition")
    clean("printer")

    page.goto(live.url + "/caisse/mouvements")
    expect(page.get_by_role("heading", name="Entrées et sorties d'espèces")).to_be_visible()
    page.goto(live.url + "/journees")
    expect(page.get_by_role("heading", name="Journées fermées")).to_be_visible()
    clean("manager pages")

    # The closing page and its counting script.
    page.goto(live.url + "/caisse")
    sign_in(page, "RESP01", "1234")
    page.get_by_role("button", name="Fermer la caisse", exact=True).tap()
    expect(page.get_by_role("heading", name="Fermeture de la caisse")).to_be_visible()
    page.get_by_text("Compter les espèces pièce par pièce").tap()
    page.get_by_role("button", name="Un de plus (10,00\u00a0€)").tap()
    expect(page.locator("#grid-total")).to_have_text("10,00\u00a0€")
    clean("closing")
    page.get_by_role("button", name="Annuler", exact=True).tap()
    expect(page.get_by_role("button", name="Connecter", exact=True)).to_be_visible()

    # Sortir: the manager's pages ask again.
    page.get_by_role("button", name="Sortir").tap()
    expect(page.get_by_role("button", name="Sortir")).to_have_count(0)
    page.goto(live.url + "/journees")
    expect(page.get_by_role("button", name="S'identifier")).to_be_visible()
    clean("after Sortir")
    context.close()
