"""The lifecycle screens over HTTP (docs/flows.md): Ouverture de la caisse in states A/B/C/D,
Importer / Ouvrir / Exporter, the open register, Connecter / Déconnecter."""

import re

import pytest

from app.extensions import db
from app.services.lifecycle import open_register
from tests.support.helpers import close_counted, head_office_down
from tests.support.processes import wait_until
from tests.support.screens import Database, Kiosk, read


@pytest.fixture
def database(app):
    return Database(app)


@pytest.fixture
def kiosk(client):
    screen = Kiosk(client)
    screen.open("/")
    return screen


def enabled(page, *names):
    return {name: page.buttons.get(name) for name in names}


def import_register_on_screen(kiosk, register="CAISSE01", person="VEND01", password="1111"):
    kiosk.open("/")
    kiosk.post("/sync/import", register=register, person=person, password=password)
    return kiosk.page


def to_state_d(app, kiosk):
    import_register_on_screen(kiosk)
    with app.app_context():
        open_register(db.session, "RESP01", "1234", 10000)
        close_counted(db.session)
    return kiosk.open("/")


# --- what each state shows -------------------------------------------------------------


def test_state_a_offers_only_import(kiosk):
    page = kiosk.page
    assert "Ouverture de la caisse" in page.body
    assert enabled(page, "Ouvrir", "Importer", "Exporter") == {
        "Ouvrir": False,
        "Importer": True,
        "Exporter": False,
    }
    # Head office's registers are offered, with the people allowed to import the first one.
    assert page.selects["register"]["options"] == ["CAISSE01", "CAISSE02"]
    assert not page.selects["register"]["disabled"]
    assert page.selects["person"]["options"] == ["RESP01", "VEND01"]
    assert page.inputs["amount"]["disabled"]


def test_import_leads_to_state_b(kiosk, database):
    page = import_register_on_screen(kiosk)
    assert "Import terminé : caisse CAISSE01." in page.messages
    assert enabled(page, "Ouvrir", "Importer", "Exporter") == {
        "Ouvrir": True,
        "Importer": True,
        "Exporter": False,
    }
    assert not page.selects["register"]["disabled"]
    # The demo registers make counting mandatory: Ouvrir brings the count window, no amount field.
    assert "Comptage obligatoire : Ouvrir affiche la fenêtre de comptage." in page.body
    assert "amount" not in page.inputs
    assert database.state() == "B"


def test_people_follow_the_chosen_register(kiosk, client):
    import_register_on_screen(kiosk)
    # The imported register's people are the box's staff; another's, its importers.
    response = client.get("/people?register=CAISSE01", headers={"HX-Request": "true"})
    assert read(response.get_data(as_text=True)).selects["person"]["options"] == [
        "RESP01",
        "VEND01",
        "VEND02",
    ]
    response = client.get("/people?register=CAISSE02", headers={"HX-Request": "true"})
    assert read(response.get_data(as_text=True)).selects["person"]["options"] == ["RESP01", "VEND01"]


def test_open_leads_to_the_open_register_page(kiosk, database):
    import_register_on_screen(kiosk)
    page = kiosk.post("/open", person="RESP01", password="1234", amount="150,00")
    assert "Terminal WEB01 sur appareil 'FF Gui'" in page.body
    assert "Caisse : CAISSE01" in page.body
    assert re.search(r"Ouverte : \d\d/\d\d/\d{4} \d\d:\d\d:\d\d", page.body)
    assert enabled(page, "Connecter", "Fermer la caisse") == {"Connecter": True, "Fermer la caisse": True}
    [(_number, opening_float, _opened_at)] = database.days()
    assert opening_float == 15000
    # The landing page sends an open register to its page.
    assert "Terminal WEB01" in kiosk.open("/").body


def test_open_time_is_shown_in_the_shop_zone(kiosk, database):
    import_register_on_screen(kiosk)
    page = kiosk.post("/open", person="RESP01", password="1234", amount="0")
    [(_number, _float, opened_at)] = database.days()
    from zoneinfo import ZoneInfo

    paris = opened_at.astimezone(ZoneInfo("Europe/Paris")).strftime("%d/%m/%Y %H:%M:%S")
    assert f"Ouverte : {paris}" in page.body


def test_state_d_locks_the_register_and_offers_open_and_export(app, kiosk):
    page = to_state_d(app, kiosk)
    assert enabled(page, "Ouvrir", "Importer", "Exporter") == {
        "Ouvrir": True,
        "Importer": False,
        "Exporter": True,
    }
    assert page.selects["register"]["disabled"]
    assert page.inputs["register"]["value"] == "CAISSE01"


def test_open_again_from_d_keeps_the_register(app, kiosk, database):
    to_state_d(app, kiosk)
    page = kiosk.post("/open", person="RESP01", password="1234", amount="100")  # what the closing left
    assert "Caisse : CAISSE01" in page.body
    assert [number for number, _float, _at in database.days()] == [1, 2]


def test_export_returns_to_state_a(app, kiosk, database):
    to_state_d(app, kiosk)
    page = kiosk.post("/sync/export", person="RESP01", password="1234")
    assert "Export terminé : les journées sont au serveur principal." in page.messages
    assert enabled(page, "Ouvrir", "Importer", "Exporter") == {
        "Ouvrir": False,
        "Importer": True,
        "Exporter": False,
    }
    assert database.state() == "A"


# --- the progress window (HTMX) ----------------------------------------------------------


def poll_until_finished(client, run_html):
    url = re.search(r'hx-get="(/sync/runs/[^"]+)"', run_html).group(1)

    def finished():
        response = client.get(url, headers={"HX-Request": "true"})
        if response.headers.get("HX-Redirect") or 'hx-get="/sync/runs' not in response.get_data(as_text=True):
            return response
        return None

    return wait_until(finished, what="the synchronisation window to finish")


def test_import_with_progress_window(kiosk, client, database):
    window = kiosk.post("/sync/import", htmx=True, register="CAISSE01", person="VEND01", password="1111")
    html = kiosk.response.get_data(as_text=True)
    assert "Import des données — CAISSE01" in window.body
    assert 'role="dialog"' in html and "<progress" in html
    done = poll_until_finished(client, html)
    assert done.headers["HX-Redirect"] == "/"
    page = kiosk.open("/")
    assert "Import terminé : caisse CAISSE01." in page.messages
    assert database.state() == "B"


def test_import_window_shows_a_wrong_password(kiosk, client, database):
    kiosk.post("/sync/import", htmx=True, register="CAISSE01", person="VEND01", password="0000")
    done = poll_until_finished(client, kiosk.response.get_data(as_text=True))
    assert "Mot de passe incorrect." in read(done.get_data(as_text=True)).messages
    assert database.state() == "A"


def test_export_with_head_office_down_keeps_it_pending(app, kiosk, client, headoffice, database):
    to_state_d(app, kiosk)
    headoffice.override = head_office_down
    kiosk.post("/sync/export", htmx=True, person="RESP01", password="1234")
    done = poll_until_finished(client, kiosk.response.get_data(as_text=True))
    message = read(done.get_data(as_text=True)).messages[0]
    assert "injoignable" in message and "renvoyé automatiquement" in message
    page = kiosk.open("/")
    assert any("Un export attend d'être envoyé" in m for m in page.messages)
    assert "Export en attente" in page.body
    assert database.state() == "D"


# --- the open register: Connecter / Déconnecter ---------------------------------------------


@pytest.fixture
def open_kiosk(kiosk):
    import_register_on_screen(kiosk)
    kiosk.post("/open", person="RESP01", password="1234", amount="100")
    return kiosk


def test_connect_and_disconnect_a_seller(open_kiosk, database):
    page = open_kiosk.post("/caisse/connect", person="VEND02", password="2222")
    assert "Vendeur connecté : Vendeur2 De Caisse (VEND02)" in page.body
    assert "Connectés Vendeur2 De Caisse" in page.body  # the status strip
    assert enabled(page, "Déconnecter") == {"Déconnecter": True}
    page = open_kiosk.post("/vente/disconnect")
    assert "Terminal WEB01" in page.body
    [(code, disconnected_at)] = database.sellers()
    assert code == "VEND02" and disconnected_at is not None
    assert [j.action for j in database.journal(outcome="ok")][-2:] == ["connect", "disconnect"]


def test_connect_with_a_wrong_password(open_kiosk, database):
    before = database.dump()
    page = open_kiosk.post("/caisse/connect", person="VEND02", password="9999")
    assert "Mot de passe incorrect." in page.messages
    assert database.dump() == before


def test_close_refused_while_a_seller_is_connected_then_forced(open_kiosk, client, database):
    open_kiosk.post("/caisse/connect", person="VEND02", password="2222")
    tablet = Kiosk(client.application.test_client())
    tablet.open("/caisse")
    page = tablet.post("/caisse/close", person="RESP01", password="1234")
    assert "Un ou plusieurs utilisateurs sont encore connectés." in page.body
    seen = page.inputs["seen"]["value"]
    page = tablet.post("/fermeture", person="RESP01", password="1234", seen=seen, counted_ESP="100")
    assert page.messages == ["Un ou plusieurs utilisateurs sont encore connectés."]
    assert database.state() == "C"
    page = tablet.post(
        "/fermeture",
        person="RESP01",
        password="1234",
        seen=seen,
        counted_ESP="100",
        force="1",
        force_reason="Vendeur parti sans se déconnecter",
    )
    assert any("La caisse est fermée" in m for m in page.messages)
    assert database.state() == "D"
    # The seller's screen now sends them back: the register is no longer open.
    assert "Ouverture de la caisse" in open_kiosk.open("/vente").body


def test_the_tablet_sees_the_same_screens_and_checks(open_kiosk, client):
    tablet = Kiosk(client.application.test_client())
    page = tablet.open("/")
    assert "Terminal WEB01" in page.body
    page = tablet.post("/caisse/connect", person="VEND01", password="0000")
    assert "Mot de passe incorrect." in page.messages


# --- language, session, CSRF ------------------------------------------------------------


def test_language_switch_to_english_and_back(kiosk):
    page = kiosk.post("/lang", lang="en", next="/")
    assert "Register opening" in page.body
    assert enabled(page, "Open", "Import", "Export") == {"Open": False, "Import": True, "Export": False}
    page = kiosk.post("/lang", lang="fr", next="/")
    assert "Ouverture de la caisse" in page.body


def test_language_switch_never_redirects_off_site(kiosk):
    kiosk.post("/lang", lang="en", next="//evil.example/", follow=False)
    assert kiosk.response.headers["Location"] == "/"


def test_web_session_expires(open_kiosk, app):
    open_kiosk.post("/caisse/connect", person="VEND02", password="2222")
    cookie = open_kiosk.client.get_cookie("session")
    assert cookie.expires is not None
    lifetime = app.config["PERMANENT_SESSION_LIFETIME"].total_seconds()
    assert 0 < lifetime <= 3600


def test_form_without_csrf_token_is_refused(client, database):
    before = database.dump()
    response = client.post(
        "/sync/import",
        data={"register": "CAISSE01", "person": "VEND01", "password": "1111"},
        follow_redirects=True,
    )
    assert "La page a expiré : rechargez-la et recommencez." in read(response.get_data(as_text=True)).messages
    assert database.dump() == before


def test_htmx_request_without_csrf_header_is_refused(client, database):
    response = client.post(
        "/open", data={"person": "RESP01", "password": "1234", "amount": "1"}, headers={"HX-Request": "true"}
    )
    assert response.status_code == 400
    assert response.headers["HX-Retarget"] == "#messages"


# --- what bad input gets on the screens -----------------------------------------------------


@pytest.mark.parametrize(
    "amount, message",
    [
        ("-5", "Le montant ne peut pas être négatif."),
        ("abc", "« abc » n'est pas un montant : écrivez par exemple 150,00."),
        ("", "Le comptage du fonds de caisse est obligatoire."),  # the demo registers count
        ("1e9", "« 1e9 » n'est pas un montant"),
        ("12,345", "« 12,345 » n'est pas un montant"),
        ("1000,01", "Le fonds de caisse doit être entre 0,00 € et 1 000,00 €."),  # spaces folded
    ],
)
def test_absurd_opening_amounts_are_refused(kiosk, database, amount, message):
    import_register_on_screen(kiosk)
    before = database.dump()
    answer = kiosk.post("/open", htmx=True, person="RESP01", password="1234", amount=amount)
    assert kiosk.response.status_code == 422
    assert kiosk.response.headers["HX-Retarget"] == "#messages"
    assert any(message in m for m in answer.messages), answer.messages
    assert database.dump() == before


@pytest.mark.parametrize(
    "person, password, message, status",
    [
        ("RESP01", "0000", "Mot de passe incorrect.", 403),
        ("VEND02", "2222", "Vendeur2 De Caisse n'a pas le droit de faire cela (ouvrir la caisse).", 403),
    ],
)
def test_open_refused_for_wrong_password_or_missing_right(kiosk, database, person, password, message, status):
    import_register_on_screen(kiosk)
    before = database.dump()
    answer = kiosk.post("/open", htmx=True, person=person, password=password, amount="10")
    assert kiosk.response.status_code == status
    assert answer.messages == [message]
    assert database.dump() == before
    assert database.journal("open", "refused")


def test_open_in_state_a_is_refused(kiosk, database):
    before = database.dump()
    page = kiosk.post("/open", person="RESP01", password="1234", amount="10")
    assert "Impossible d'ouvrir : importez d'abord les données d'une caisse." in page.messages
    assert database.dump() == before


def test_import_of_an_unknown_register_is_refused(kiosk, database):
    before = database.dump()
    page = kiosk.post("/sync/import", register="CAISSE99", person="VEND01", password="1111")
    assert "La caisse CAISSE99 n'existe pas au serveur principal." in page.messages
    assert database.dump() == before


def test_import_and_export_refused_while_open(app, kiosk, client, database):
    import_register_on_screen(kiosk)
    kiosk.post("/open", person="RESP01", password="1234", amount="10")
    tablet = Kiosk(client.application.test_client())
    tablet.open("/caisse")
    before = database.dump()
    # The tablet posts straight to the actions (no screen token: as a script would).
    tablet.page.inputs.pop("screen_token")
    page = tablet.post("/sync/import", register="CAISSE02", person="VEND01", password="1111")
    assert any("une caisse est ouverte" in m for m in page.messages)
    tablet.page.inputs.pop("screen_token", None)
    page = tablet.post("/sync/export", person="RESP01", password="1234")
    assert any("la caisse est ouverte" in m for m in page.messages)
    assert database.dump() == before


def test_import_refused_while_a_day_awaits_export(app, kiosk, database):
    to_state_d(app, kiosk)
    kiosk.page.inputs.pop("screen_token")
    before = database.dump()
    page = kiosk.post("/sync/import", register="CAISSE02", person="VEND01", password="1111")
    assert any("attendent l'export" in m for m in page.messages)
    assert database.dump() == before


def test_stale_page_comes_back_fresh_with_a_message(kiosk, client, database):
    import_register_on_screen(kiosk)
    # The tablet opens the register while the kiosk still shows state B.
    tablet = Kiosk(client.application.test_client())
    tablet.open("/")
    tablet.post("/open", person="RESP01", password="1234", amount="10")
    before = database.dump()
    kiosk.post("/sync/import", htmx=True, register="CAISSE02", person="VEND01", password="1111")
    assert kiosk.response.headers["HX-Redirect"] == "/"
    page = kiosk.open("/")
    assert "L'état de la caisse a changé depuis un autre écran : voici l'écran à jour." in page.messages
    assert "Terminal WEB01" in page.body  # the fresh screen: the open register
    assert database.dump() == before


def test_ouvrir_tapped_twice_opens_one_day(kiosk, database):
    import_register_on_screen(kiosk)
    first = kiosk.client.post(
        "/open",
        data={
            "csrf_token": kiosk.page.inputs["csrf_token"]["value"],
            "person": "RESP01",
            "password": "1234",
            "amount": "10",
        },
        headers={"HX-Request": "true"},
    )
    second = kiosk.client.post(
        "/open",
        data={
            "csrf_token": kiosk.page.inputs["csrf_token"]["value"],
            "person": "RESP01",
            "password": "1234",
            "amount": "10",
        },
        headers={"HX-Request": "true"},
    )
    assert first.headers["HX-Redirect"] == "/caisse"
    assert second.status_code == 409
    assert "La caisse est déjà ouverte." in second.get_data(as_text=True)
    assert len(database.days()) == 1


def test_five_wrong_passwords_lock_the_person_on_screen(kiosk, database):
    import_register_on_screen(kiosk)
    for _ in range(4):
        kiosk.post("/open", htmx=True, person="RESP01", password="0000", amount="10")
    answer = kiosk.post("/open", htmx=True, person="RESP01", password="0000", amount="10")
    assert answer.messages == ["Mot de passe incorrect. Responsable1 De Caisse est bloqué pendant 5 min."]
    answer = kiosk.post("/open", htmx=True, person="RESP01", password="1234", amount="10")
    assert "bloqué" in answer.messages[0]
    assert database.days() == []


def test_refreshing_the_register_list_with_head_office_down(kiosk, headoffice, database):
    before = database.dump()
    headoffice.override = head_office_down
    page = kiosk.post("/registers/refresh")
    assert any("injoignable" in m for m in page.messages)
    # The list fetched earlier is still offered.
    assert page.selects["register"]["options"] == ["CAISSE01", "CAISSE02"]
    assert database.dump() == before


def test_disconnect_tapped_twice_or_without_a_seller_changes_nothing(open_kiosk, database):
    open_kiosk.post("/caisse/connect", person="VEND02", password="2222")
    open_kiosk.post("/vente/disconnect")
    before = database.dump()
    page = open_kiosk.post("/vente/disconnect")
    assert "Terminal WEB01" in page.body
    assert database.dump() == before
