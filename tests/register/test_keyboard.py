"""Words on the kiosk (docs/selling.md), over HTTP: the on-screen keyboard is in the pages the
kiosk gets and not in a tablet's, and every field that asks for a reason offers the usual
reasons (app/reasons.py) as one-tap choices, in the person's language."""

import re
from pathlib import Path

import pytest

from app.reasons import USUAL_REASONS
from tests.support.screens import Kiosk

TEMPLATES = Path(__file__).resolve().parents[2] / "app" / "templates"
WIFI = {"REMOTE_ADDR": "192.168.1.40"}


def test_the_kiosk_gets_the_keyboard_and_a_tablet_does_not(app):
    kiosk_page = app.test_client().get("/").get_data(as_text=True)
    assert 'data-keyboard="on"' in kiosk_page
    assert 'aria-label="Clavier"' in kiosk_page and 'data-osk="é"' in kiosk_page
    tablet_page = app.test_client().get("/", environ_base=WIFI).get_data(as_text=True)
    assert 'data-keyboard="on"' not in tablet_page and "data-osk" not in tablet_page
    # ABC (and the scan field's button) still bring up the tablet's own keyboard.
    assert "keyboard.js" in tablet_page and 'data-keyboard-for="password"' in tablet_page


def test_a_partial_carries_no_keyboard(kiosk):
    """HTMX swaps keep the one keyboard of the page: fragments never bring another."""
    kiosk.open("/vente?panel=cancel")
    assert kiosk.response.get_data(as_text=True).count('id="keyboard"') == 1
    fragment = kiosk.client.get(
        "/vente?panel=cancel", headers={"HX-Request": "true", "HX-Target": "side"}
    ).get_data(as_text=True)
    assert "Motif" in fragment and "data-osk" not in fragment


def _reason_fields():
    """(template, field id) of every input named like a reason, in every template."""
    found = []
    for path in TEMPLATES.rglob("*.html"):
        # reason, force_reason…, and the count window's reason_<method> (reason_{{ m.code }})
        for match in re.finditer(
            r'<input id="([^"]+)" name="(\w*reason(?:_\{\{[^"]*\}\})?)"', path.read_text()
        ):
            found.append((path.relative_to(TEMPLATES).as_posix(), match.group(1)))
    return found


def test_every_reason_field_offers_the_usual_reasons():
    """A new field asking for a reason without one-tap choices fails here."""
    fields = _reason_fields()
    assert len(fields) >= 5, fields  # difference, force, two cancellations, cash movement
    for template, field_id in fields:
        text = (TEMPLATES / template).read_text()
        call = re.search(r'reason_choices\("(\w+)", "' + re.escape(field_id.split("{{")[0]), text)
        assert call, f"{template}: {field_id} has no reason_choices"
        assert USUAL_REASONS[call.group(1)], call.group(1)


def test_an_unknown_list_of_reasons_is_an_error_not_an_empty_row(app):
    from app.reasons import usual_reasons

    with app.test_request_context(), pytest.raises(KeyError):
        usual_reasons("nonexistent")


@pytest.mark.parametrize("lang, reason", [("fr", "Client parti"), ("en", "Customer left")])
def test_the_cancel_panel_offers_the_usual_reasons_in_the_persons_language(kiosk, lang, reason):
    kiosk.post("/lang", lang=lang, next="/vente")
    page = kiosk.open("/vente?panel=cancel")
    assert (
        f'data-reason-for="cancel-reason" aria-pressed="false">{reason}</button>'
        in kiosk.response.get_data(as_text=True)
    )
    assert "datalist" not in kiosk.response.get_data(as_text=True)
    assert page.body.count(reason) == 1


def test_the_closing_page_offers_the_reasons_for_a_difference_and_a_forced_closing(app, kiosk):
    manager = Kiosk(app.test_client())
    manager.open("/caisse")
    manager.post("/caisse/close", person="RESP01", password="1234")
    assert manager.response.request.path == "/fermeture"
    html = manager.response.get_data(as_text=True)
    # A reason per method (« Raison de la différence »), and the forced closing's.
    for kind, field in (
        ("difference", "reason-ESP"),
        ("difference", "reason-CHQ"),
        ("force", "force-reason"),
    ):
        for reason in USUAL_REASONS[kind]:
            assert f'data-reason-for="{field}" aria-pressed="false">{reason}</button>' in html


def test_the_keyboard_speaks_the_persons_language(app):
    """It is drawn once per language and kept: the other language gets its own."""
    screen = Kiosk(app.test_client())
    screen.open("/")
    assert 'aria-label="Fermer le clavier"' in screen.response.get_data(as_text=True)
    screen.post("/lang", lang="en", next="/")
    assert 'aria-label="Close the keyboard"' in screen.response.get_data(as_text=True)
    screen.post("/lang", lang="fr", next="/")
    assert 'aria-label="Fermer le clavier"' in screen.response.get_data(as_text=True)
