"""Who may reach what (docs/access.md). Every rule of the URL map is
walked, GET and POST, with arguments taken from real rows (a closed day and its Z, a print
job, tickets, lines, payments, a sync run): without a session, and with the session of a
plain seller (VEND02: the right to sell, nothing else). Pages that show money or people
refuse them with a way to sign in; actions that carry a code refuse without one and change
nothing; only the endpoints listed in PUBLIC answer anyone."""

import re
import time

import pytest

from app.access import CODE, RIGHT, SELLER, access_of
from app.access import PUBLIC as PUBLIC_KIND
from app.extensions import db
from app.models import Staff
from app.services.closing import closed_days
from app.services.errors import AuthenticationFailed, RightMissing
from tests.support.screens import Kiosk, read
from tests.support.shop import anonymous, walk
from tests.support.till import open_till

# Reachable by anyone, on purpose (each says why in its @public). A new public route must be
# added here, deliberately.
PUBLIC = {
    "static",
    "health.healthz",
    "common.status",
    "common.language",
    "access.sign_in_form",
    "access.sign_in",
    "access.sign_out",
    "opening.index",
    "opening.count",
    "opening.people",
    "opening.refresh",
    "register.page",
    "sync.run_progress",
    "selling.disconnect",
    "closing.cancel",
    "common.tablets",
    "common.authority_certificate",
}
# The pages with money or people, and the right each needs.
NEEDS = {
    "register.movements": "cash_movement",
    "register.documents": "cash_movement",
    "register.new_document": "cash_movement",
    "register.preview_document": "cash_movement",
    "register.document": "cash_movement",
    "register.safe": "safe",
    "register.safe_operations": "safe",
    "register.new_safe_movement_form": "safe",
    "register.card_transactions": "cancel_card_transaction",
    "register.cancel_card_form": "cancel_card_transaction",
    "register.manual_refund_page": "manual_card_refund",
    "printing.page": "reprint",
    "printing.preview": "reprint",
    "printing.retry": "reprint",
    "closing.page": "close",
    "closing.compare": "close",
    "closing.days": "close",
    "closing.day": "close",
    "reports.index": "close",
    "reports.point_of_sale": "close",
    "reports.print_point_of_sale_": "close",
    "reports.periodic": "close",
    "reports.print_periodic": "close",
    "register.lockouts": "manage",
    "register.training": "manage",
    "integrity.page": "manage",
    "integrity.check": "manage",
    "cashier_sessions.index": "close_other_sessions",
    "cashier_sessions.takings": "close_other_sessions",
}

# An amount as the screens print it ("12,50 €"); the kiosk keyboard's bare € key is no amount.
AMOUNT = re.compile(r"\d,\d\d\s?€")


def shows_an_amount(text: str) -> bool:
    return AMOUNT.search(text) is not None


def request(screen: Kiosk, method: str, url: str, token: str, htmx=False):
    """One request as a page of the box would send it (its CSRF token), nothing typed."""
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/caisse"} if htmx else {}
    if method == "GET":
        response = screen.client.get(url, headers=headers)
    else:
        response = screen.client.post(url, data={"csrf_token": token}, headers=headers)
    html = response.get_data(as_text=True)
    response.close()  # a static file is a file left open otherwise
    return response, read(html)


def shows_a_sign_in(response, page) -> bool:
    html = response.get_data(as_text=True)
    return (
        'action="/entrer"' in html
        and "password" in page.inputs
        and page.messages
        and any(select["name"] == "person" and select["options"] for select in page.selects.values())
    )


def test_every_endpoint_declares_who_may_reach_it(app):
    with app.test_request_context():
        declared = {rule.endpoint: access_of(rule.endpoint) for rule in app.url_map.iter_rules()}
    assert None not in declared.values(), [e for e, a in declared.items() if a is None]
    assert {e for e, a in declared.items() if a.kind == PUBLIC_KIND} == PUBLIC
    assert {e: a.right for e, a in declared.items() if a.kind == RIGHT} == NEEDS
    assert {a.kind for a in declared.values()} == {PUBLIC_KIND, CODE, SELLER, RIGHT}


@pytest.mark.parametrize("who", ["nobody", "plain seller"])
def test_every_route_without_the_right_is_refused_with_a_way_to_sign_in(app, shop, till, who):
    seller, rows = shop
    screen = anonymous(app) if who == "nobody" else seller
    token = screen.page.inputs["csrf_token"]["value"]
    walked = set()
    for endpoint, method, url in walk(app, rows):
        access = access_of_endpoint(app, endpoint)
        if who != "nobody" and (access.kind == SELLER or (access.kind == PUBLIC_KIND and method == "POST")):
            continue  # what a seller may do (sell, Déconnecter, Sortir) is not refused
        walked.add(endpoint)
        before = till.dump()
        for htmx in (False, True):
            response, page = request(screen, method, url, token, htmx=htmx)
            where = f"{who} {method} {url} (htmx={htmx}): {response.status_code}"
            if access.kind == RIGHT:
                assert response.status_code == (401 if who == "nobody" else 403), where
                assert shows_a_sign_in(response, page), where
                assert not shows_an_amount(page.body), where
                if htmx:
                    assert response.headers["HX-Retarget"] == "#messages", where
            elif access.kind == SELLER and who == "nobody":
                target = response.headers.get("HX-Redirect") or response.headers.get("Location")
                assert response.status_code in (200, 303) and target == "/caisse", where
                landing = screen.client.get(target, follow_redirects=True)
                assert "Connecter" in read(landing.get_data(as_text=True)).buttons, where
            elif access.kind == CODE:
                # No code typed: refused by the action's service, with a message.
                assert (
                    response.status_code >= 400
                    or response.headers.get("HX-Redirect")
                    or response.status_code == 303
                ), where
                if response.status_code == 303 and not htmx:
                    shown = read(
                        screen.client.get(response.headers["Location"], follow_redirects=True).get_data(
                            as_text=True
                        )
                    )
                    assert shown.messages, where
            elif access.kind == PUBLIC_KIND and method == "GET" and endpoint != "static":
                assert not shows_an_amount(page.body), where
        if access.kind != PUBLIC_KIND:
            assert till.dump() == before, f"{who} {method} {url} changed the database"
    assert set(NEEDS) <= walked
    if who == "nobody":
        assert walked == {rule.endpoint for rule in app.url_map.iter_rules()}


def access_of_endpoint(app, endpoint):
    with app.test_request_context():
        return access_of(endpoint)


def test_a_manager_signed_in_sees_every_page_that_needs_a_right(app, shop):
    _, rows = shop
    manager = anonymous(app)
    manager.sign_in("/journees")
    for endpoint, method, url in walk(app, rows):
        if endpoint in NEEDS and method == "GET" and endpoint != "closing.page":
            # The demo shop keeps no safe: its pages say so (tests/register/test_safe.py has one).
            wanted = 409 if NEEDS[endpoint] == "safe" else 200
            assert manager.client.get(url).status_code == wanted, url
    # The closing page also needs its own pass (Fermer la caisse with the code), as before.
    assert manager.client.get("/fermeture").status_code == 303


def test_signing_in_without_the_right_is_refused_and_journaled(app, shop, till):
    screen = anonymous(app)
    screen.open("/journees")
    page = screen.post("/entrer", person="VEND02", password="2222", next="/journees")
    assert screen.response.status_code == 401 and shows_a_sign_in(screen.response, page)
    assert any("n'a pas le droit" in m and "fermer la caisse" in m for m in page.messages), page.messages
    page = screen.post("/entrer", person="RESP01", password="9999", next="/journees")
    assert "Mot de passe incorrect." in page.messages
    assert [r[1] for r in till.journal("sign_in")] == ["refused", "refused"]


def test_a_connected_seller_counts_with_their_rights(app, client, till):
    seller = open_till(app, client, "RESP01", "1234")  # a manager selling has every right
    assert seller.client.get("/journees").status_code == 200
    assert seller.client.get("/caisse/mouvements").status_code == 200


def test_the_sign_in_ends_when_idle_at_most_after_the_maximum_and_at_sortir(app, shop, till, monkeypatch):
    clock = [time.time()]
    monkeypatch.setattr("app.access._now", lambda: int(clock[0]))
    manager = anonymous(app)
    manager.sign_in("/journees")
    assert [r[2] for r in till.journal("sign_in", "ok")] == ["RESP01"]
    assert "Sortir" in manager.open("/journees").buttons

    # The status strip polls by itself: it does not keep the sign-in alive.
    clock[0] += 9 * 60
    manager.client.get("/status", headers={"HX-Request": "true"})
    clock[0] += 2 * 60
    assert manager.client.get("/journees").status_code == 401
    assert till.journal("sign_out")[-1][2:] == ("RESP01", "identification expirée")

    # Used now and then, it still ends after SIGN_IN_MAX_MINUTES.
    manager.sign_in("/journees")
    for _ in range(3):
        clock[0] += 8 * 60
        assert manager.client.get("/journees").status_code == 200
    clock[0] += 8 * 60
    assert manager.client.get("/journees").status_code == 401

    manager.sign_in("/journees")
    manager.post("/sortir")
    assert manager.client.get("/journees").status_code == 401
    assert till.journal("sign_out")[-1][2:] == ("RESP01", "Sortir")


def test_deconnecter_also_ends_the_sign_in(app, shop, till):
    seller, _ = shop
    seller.sign_in("/journees", "RESP01", "1234")
    seller.open("/vente")
    seller.post("/vente/disconnect")
    assert seller.client.get("/journees").status_code == 401
    assert till.journal("sign_out")[-1][2:] == ("RESP01", "Déconnecter")


def test_after_signing_in_the_person_lands_on_the_page_asked_for_never_elsewhere(app, shop):
    screen = anonymous(app)
    screen.open("/journees")
    screen.post("/entrer", follow=False, person="RESP01", password="1234", next="//evil.example/journees")
    assert screen.response.headers["Location"] == "/"


def test_an_undeclared_route_is_refused(app, shop):
    app.view_functions["opening.index"].__dict__.pop("access")
    try:
        response = app.test_client().get("/")
        assert response.status_code == 403
        assert "Cette page n'est ouverte à personne." in read(response.get_data(as_text=True)).messages
    finally:
        from app.access import public

        public("restored")(app.view_functions["opening.index"])


def test_the_reading_services_check_the_right_themselves(app, shop):
    with app.app_context():
        with pytest.raises(AuthenticationFailed):
            closed_days(db.session, None)
        with pytest.raises(RightMissing):
            closed_days(db.session, db.session.get(Staff, "VEND02"))
        assert closed_days(db.session, db.session.get(Staff, "RESP01"))
        db.session.remove()


def test_the_refusal_page_sends_back_to_the_page_asked_for(app, shop):
    screen = anonymous(app)
    html = screen.client.get("/journees?x=1").get_data(as_text=True)
    form = html[html.index('id="sign-in-form"') :]
    assert re.search(r'name="next" value="([^"]*)"', form).group(1) == "/journees?x=1"


def test_a_sign_in_copied_to_the_shop_wifi_is_worth_nothing(app, shop):
    """The sign-in lives in the session, which stays on the side it was opened on."""
    kiosk = anonymous(app)
    kiosk.sign_in("/journees")
    intruder = app.test_client()
    intruder.set_cookie("session", kiosk.client.get_cookie("session").value)
    assert intruder.get("/journees", environ_base={"REMOTE_ADDR": "192.168.1.50"}).status_code == 401
