"""Rapports de caisse on the kiosk (800×480) and the tablet, with taps only: the manager opens
the Récapitulatif du point de vente, picks yesterday on the touch calendar, chooses one of its
two days, walks the four tabs (all columns of the fonds de caisse shown too) and prints it;
then a Rapport périodique picked on the calendar, printed. The figures on screen are the
ones the test added up from the days it generated (tests/support/report_days.py)."""

import random
import re
from datetime import datetime, timedelta

from playwright.sync_api import expect

from app.money import format_euros
from tests.support.browser import ARTIFACTS, KIOSK, both_sizes, identify, imported_till
from tests.support.fit import Screens, button, link
from tests.support.report_days import PARIS, one_day, shop_time


def _generated(live):
    imported_till(live, [], opened=False)
    today = datetime.now(PARIS).date()
    yesterday, before = today - timedelta(days=1), today - timedelta(days=3)
    rng, notes = random.Random(5), []
    return [
        one_day(live.app, rng, moment, notes)
        for moment in (shop_time(before, 10), shop_time(yesterday, 9), shop_time(yesterday, 15))
    ]


# The page's Content-Security-Policy refuses inline styles and scripts: the charts are drawn
# with presentation attributes and classes only (collected before any script of the page).
WATCH_VIOLATIONS = """
window.__violations = [];
document.addEventListener("securitypolicyviolation", (e) => window.__violations.push(e.violatedDirective));
"""


def _row(page, label):
    return page.get_by_role("row", name=label, exact=False).first


def _tap_day(page, day, param):
    """The calendar shows the month of the date chosen: go back a month if `day` is before it."""
    expect(page.locator(".calendar")).to_be_visible()
    target = page.get_by_role("link", name=day.strftime("%d/%m/%Y"), exact=False)
    if not target.count():
        page.get_by_label("Mois précédent").tap()
        page.wait_for_url(re.compile(f"mois={day.replace(day=1).isoformat()}"))
        target = page.get_by_role("link", name=day.strftime("%d/%m/%Y"), exact=False)
    target.first.tap()
    page.wait_for_url(re.compile(f"{param}={day.isoformat()}"))  # the next page, not the one tapped on


@both_sizes
def test_the_manager_walks_the_day_summary_and_a_periodic_report(browser, live, shoot, request, viewport):
    expected = _generated(live)
    first_day, late, early = expected[0], expected[2], expected[1]
    context = browser.new_context(viewport=viewport, has_touch=True, locale="fr-FR")
    context.add_init_script(WATCH_VIOLATIONS)
    page = context.new_page()
    folder = ARTIFACTS / request.node.name.replace("[", "-").replace("]", "")
    screens = Screens(page, shoot, folder, "kiosk" if viewport == KIOSK else "tablet")
    page.goto(live.url + "/")
    link(page, "Rapports de caisse").tap()
    identify(page)
    screens.check("reports", fixed=False, back=link(page, "‹ Retour"))

    # Today: no day yet. The date field opens the calendar; yesterday had two days.
    link(page, "Récapitulatif du point de vente").tap()
    expect(page.get_by_text("Aucune journée de caisse")).to_be_visible()
    page.locator(".date-picker summary").tap()
    screens.check("day-summary-calendar", fixed=False, back=link(page, "‹ Rapports"))
    _tap_day(page, late.on, "jour")
    days = page.get_by_role("group", name=f"Journées du {late.on:%d/%m/%Y}")
    expect(days.get_by_role("link")).to_have_count(2)
    expect(page.get_by_text(f"journée n° {late.number}")).to_be_visible()

    # The earlier day of that date, its four tabs.
    days.get_by_role("link", name=f"N° {early.number}", exact=False).tap()
    expect(page.get_by_text(f"journée n° {early.number}")).to_be_visible()
    expect(_row(page, "Fonds de caisse initial")).to_contain_text(format_euros(early.float_cents))
    screens.check("day-summary-cash", fixed=False, back=link(page, "‹ Rapports"))
    link(page, "Récapitulatif du fonds de caisse").tap()
    expect(page.get_by_role("columnheader", name="Nombre de paiements")).to_be_visible()
    expect(_row(page, "Espèces")).to_contain_text(
        format_euros(early.method_sales["ESP"] + early.manual_in["ESP"])
    )
    screens.check("day-summary-fonds", fixed=False)
    link(page, "Afficher toutes les colonnes").tap()
    expect(page.get_by_role("columnheader", name="Retraits manuels")).to_be_visible()
    expect(page.get_by_role("img", name="Ventes par mode de paiement")).to_be_visible()
    screens.check("day-summary-fonds-all-columns", fixed=False)
    link(page, "Récapitulatif de ventes").tap()
    expect(_row(page, "Vente au total")).to_contain_text(format_euros(early.sales_cents))
    expect(_row(page, "Nombre de documents de correction établis")).to_contain_text(str(early.returns_count))
    expect(page.get_by_role("img", name="Ventes par heure")).to_be_visible()
    screens.check("day-summary-sales", fixed=False)
    assert page.evaluate("window.__violations") == []
    link(page, "Ventes par catégorie").tap()
    expect(page.get_by_role("columnheader", name="Montant de ventes")).to_be_visible()
    screens.check("day-summary-categories", fixed=False)
    button(page, "Imprimer").tap()
    expect(page.get_by_text("Le récapitulatif part à l'imprimante.")).to_be_visible()

    # Rapport périodique: from the first generated day to yesterday, picked on the calendar.
    link(page, "‹ Rapports").tap()
    link(page, "Rapport périodique").tap()
    page.get_by_role("group", name="Période").get_by_role("link").first.tap()
    _tap_day(page, first_day.on, "du")
    _tap_day(page, late.on, "au")
    heading = f"Du {first_day.on:%d/%m/%Y} au {late.on:%d/%m/%Y}"
    expect(page.get_by_role("heading", name=heading)).to_be_visible()
    expect(_row(page, "Vente au total")).to_contain_text(format_euros(sum(e.sales_cents for e in expected)))
    expect(_row(page, "Journées")).to_contain_text(str(len(expected)))
    screens.check("periodic-report", fixed=False, back=link(page, "‹ Rapports"))
    assert page.evaluate("window.__violations") == []
    button(page, "Imprimer").tap()
    expect(page.get_by_text("Le rapport périodique part à l'imprimante.")).to_be_visible()
    context.close()
    assert not screens.problems, "\n".join(screens.problems)
