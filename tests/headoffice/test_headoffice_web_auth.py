"""Signing in to head office's screens: roles, hashed passwords, sessions that end, CSRF on
every form (HTMX included), the first administrator from the console."""

from datetime import timedelta

import pytest
from sqlalchemy import select

from headoffice.extensions import db
from headoffice.models import AuditEntry, HeadofficeUser, Product
from headoffice.timeutil import utcnow
from tests.support.ho_web import PASSWORD, csrf_of, make_user, post, rows, sign_in

SHOP = "/boutique/BOUTIQUE01"
PRICE_URL = f"{SHOP}/produits/BOUL001/prix"
PRODUCT_PAGE = f"{SHOP}/produits/BOUL001"


def _price(ho_app) -> int:
    with ho_app.app_context():
        return db.session.scalar(select(Product.price_cents).where(Product.code == "BOUL001"))


def test_every_screen_sends_a_stranger_to_the_sign_in_page(ho_app, ho_client):
    for url in ("/", f"{SHOP}/caisses", f"{SHOP}/produits", "/journal", "/utilisateurs"):
        response = ho_client.get(url)
        assert response.status_code == 302, url
        assert response.headers["Location"].startswith("/connexion"), url


def test_a_stranger_learns_no_shop_code(ho_client):
    assert ho_client.get("/boutique/NOPE/caisses").headers["Location"].startswith("/connexion")


def test_a_manager_signs_in_and_lands_on_the_registers(ho_app):
    make_user(ho_app, "marie", "manager")
    client = ho_app.test_client()

    response = sign_in(client, "marie")

    assert response.status_code == 302
    page = client.get(response.headers["Location"], follow_redirects=True).get_data(as_text=True)
    assert "Caisses" in page and "CAISSE01" in page and "Marie Du Siège (Responsable)" in page


def test_the_password_is_stored_hashed_never_as_typed(ho_app):
    ho_app.config["HEADOFFICE_PASSWORD_METHOD"] = "scrypt"  # the default, once
    from headoffice.audit import CONSOLE
    from headoffice.people import create_user

    with ho_app.app_context():
        create_user(db.session, CONSOLE, "hash", "Hash", "viewer", PASSWORD)
        db.session.commit()
        stored = db.session.scalar(select(HeadofficeUser.password_hash).where(HeadofficeUser.login == "hash"))
    assert stored.startswith("scrypt:") and PASSWORD not in stored


@pytest.mark.parametrize("login, password", [("marie", "wrong password!"), ("nobody", PASSWORD)])
def test_a_wrong_password_or_login_gets_one_message_and_no_session(ho_app, login, password):
    make_user(ho_app, "marie", "manager")
    client = ho_app.test_client()

    response = sign_in(client, login, password)

    assert response.status_code == 401
    assert "Identifiant ou mot de passe incorrect." in response.get_data(as_text=True)
    assert client.get(f"{SHOP}/caisses").status_code == 302


def test_a_disabled_user_cannot_sign_in(ho_app, ho_web):
    admin = ho_web("administrator")
    user_id = make_user(ho_app, "paul", "manager")
    post(admin, f"/utilisateurs/{user_id}", {"role": "manager"}, page="/utilisateurs")  # active unticked

    assert sign_in(ho_app.test_client(), "paul").status_code == 401


def test_a_viewer_reads_but_cannot_change_a_price(ho_app, ho_web, ho_count):
    viewer = ho_web("viewer")
    page = viewer.get(PRODUCT_PAGE).get_data(as_text=True)
    assert "Baguette" in page and "Enregistrer le prix" not in page
    audit_before = ho_count(AuditEntry)

    response = post(viewer, PRICE_URL, {"price": "9,99"}, page=PRODUCT_PAGE)

    assert response.status_code == 403
    assert "Votre rôle ne permet pas cette action" in response.get_data(as_text=True)
    assert _price(ho_app) == 130
    assert ho_count(AuditEntry) == audit_before


@pytest.mark.parametrize("url", ["/utilisateurs", f"{SHOP}/jetons"])
def test_a_manager_cannot_reach_the_administrators_screens(ho_web, url):
    manager = ho_web("manager")
    assert manager.get(url).status_code == 403
    assert manager.post(url, data={"csrf_token": csrf_of(manager.get(f"{SHOP}/caisses"))}).status_code == 403


def test_the_viewer_does_not_read_the_change_log(ho_web):
    assert ho_web("viewer").get("/journal").status_code == 403


def test_a_form_without_its_csrf_token_is_refused_and_changes_nothing(ho_app, ho_web, ho_count):
    manager = ho_web("manager")
    audit_before = ho_count(AuditEntry)

    response = manager.post(PRICE_URL, data={"price": "9,99"})

    assert response.status_code == 400
    assert "Le formulaire a expiré" in response.get_data(as_text=True)
    assert _price(ho_app) == 130 and ho_count(AuditEntry) == audit_before


def test_a_forged_csrf_token_is_refused(ho_app, ho_web):
    manager = ho_web("manager")
    response = manager.post(PRICE_URL, data={"price": "9,99", "csrf_token": "forged"})
    assert response.status_code == 400 and _price(ho_app) == 130


def test_htmx_sends_the_token_in_its_header_and_gets_the_row_back(ho_app, ho_web):
    manager = ho_web("manager")
    token = csrf_of(manager.get(PRODUCT_PAGE))
    htmx = {"HX-Request": "true", "HX-Target": "product-BOUL001"}

    accepted = manager.post(PRICE_URL, data={"price": "1,45"}, headers={**htmx, "X-CSRFToken": token})

    assert accepted.status_code == 200
    row = accepted.get_data(as_text=True)
    assert row.startswith('<tr id="product-BOUL001">') and "Prix enregistré." in row
    assert _price(ho_app) == 145


def test_htmx_without_the_token_changes_nothing(ho_app, ho_web):
    manager = ho_web("manager")
    response = manager.post(
        PRICE_URL, data={"price": "1,45"}, headers={"HX-Request": "true", "HX-Target": "product-BOUL001"}
    )
    assert response.status_code == 400 and _price(ho_app) == 130


def _age_session(client, **ago):
    with client.session_transaction() as session:
        for key, delta in ago.items():
            session[key] = (utcnow() - delta).isoformat()


@pytest.mark.parametrize(
    "ago",
    [{"seen": timedelta(minutes=31)}, {"since": timedelta(hours=10, minutes=1)}],
    ids=["idle", "too-long"],
)
def test_an_expired_session_is_sent_to_sign_in_and_its_form_changes_nothing(ho_app, ho_web, ago):
    manager = ho_web("manager")
    token = csrf_of(manager.get(PRODUCT_PAGE))
    _age_session(manager, **ago)

    response = manager.post(PRICE_URL, data={"price": "9,99", "csrf_token": token})

    assert response.status_code == 302 and response.headers["Location"].startswith("/connexion")
    assert _price(ho_app) == 130
    page = manager.get("/connexion").get_data(as_text=True)
    assert "Votre session a expiré : identifiez-vous à nouveau." in page
    assert manager.get(f"{SHOP}/caisses").status_code == 302  # still signed out


def test_an_expired_htmx_request_is_redirected_by_htmx(ho_web):
    manager = ho_web("manager")
    _age_session(manager, seen=timedelta(hours=1))
    response = manager.get(f"{SHOP}/produits?q=bag", headers={"HX-Request": "true", "HX-Target": "results"})
    assert response.headers["HX-Redirect"].startswith("/connexion")


def test_a_working_session_stays_open(ho_web):
    manager = ho_web("manager")
    _age_session(manager, seen=timedelta(minutes=29))
    assert manager.get(f"{SHOP}/caisses").status_code == 200


def test_a_new_password_signs_the_user_out_everywhere(ho_app, ho_web):
    user_id = make_user(ho_app, "paul", "manager")
    paul = ho_app.test_client()
    sign_in(paul, "paul")
    admin = ho_web("administrator")

    response = post(
        admin, f"/utilisateurs/{user_id}/mot-de-passe", {"password": "another long one"}, page="/utilisateurs"
    )

    assert response.status_code == 302
    assert paul.get(f"{SHOP}/caisses").status_code == 302
    assert sign_in(ho_app.test_client(), "paul", "another long one").status_code == 302


def test_signing_out_ends_the_session(ho_web):
    manager = ho_web("manager")
    post(manager, "/deconnexion", page=f"{SHOP}/caisses")
    assert manager.get(f"{SHOP}/caisses").status_code == 302


def test_sign_in_never_redirects_to_another_site(ho_app):
    make_user(ho_app, "marie", "manager")
    for target in ("https://evil.example/", "//evil.example/x"):
        client = ho_app.test_client()
        token = csrf_of(client.get("/connexion"))
        response = client.post(
            f"/connexion?next={target}", data={"login": "marie", "password": PASSWORD, "csrf_token": token}
        )
        assert response.headers["Location"] == "/", target


def test_the_screens_speak_english_when_asked(ho_web):
    manager = ho_web("manager")
    post(manager, "/langue", {"lang": "en", "back": f"{SHOP}/caisses"}, page=f"{SHOP}/caisses")
    page = manager.get(f"{SHOP}/caisses").get_data(as_text=True)
    assert "Registers" in page and "Last import" in page and "Sign out" in page


def test_the_screens_carry_their_own_content_security_policy(ho_web, ho_client):
    page = ho_web("viewer").get(f"{SHOP}/caisses")
    assert "script-src 'self'" in page.headers["Content-Security-Policy"]
    assert "form-action 'self'" in page.headers["Content-Security-Policy"]
    api = ho_client.get("/api/v1/registers")
    assert api.headers["Content-Security-Policy"].startswith("default-src 'none'")


# --- the console -------------------------------------------------------------------------


def test_the_first_administrator_is_created_from_the_console(ho_app, ho_runner):
    result = ho_runner.invoke(
        args=["create-user", "admin", "Première Admin"], input=f"{PASSWORD}\n{PASSWORD}\n"
    )
    assert result.exit_code == 0, result.output
    assert "User admin created with role administrator." in result.output
    client = ho_app.test_client()
    assert sign_in(client, "admin").status_code == 302
    assert client.get("/utilisateurs").status_code == 200
    with ho_app.app_context():
        entry = db.session.scalars(select(AuditEntry).where(AuditEntry.action == "user_created")).one()
        assert entry.who == "console" and "administrator" in entry.after


@pytest.mark.parametrize(
    "args, words",
    [
        (["create-user", "admin", "A", "--password", "short"], "au moins 10 caractères"),
        (["create-user", "a b", "A", "--password", PASSWORD], "L'identifiant"),
        (["create-user", "admin", "A", "--password", PASSWORD, "--role", "king"], "Invalid value"),
    ],
)
def test_the_console_refuses_a_bad_user_and_creates_nothing(ho_app, ho_runner, args, words):
    before = rows(ho_app, HeadofficeUser)
    result = ho_runner.invoke(args=args)
    assert result.exit_code != 0 and words in result.output, result.output
    assert rows(ho_app, HeadofficeUser) == before


def test_the_console_refuses_a_login_taken_in_another_case(ho_app, ho_runner):
    make_user(ho_app, "admin", "administrator")
    result = ho_runner.invoke(args=["create-user", "ADMIN", "B", "--password", PASSWORD])
    assert result.exit_code != 0 and "existe déjà" in result.output


def test_an_htmx_refusal_lands_in_the_message_area_not_in_the_row(ho_app, ho_web):
    viewer = ho_web("viewer")
    token = csrf_of(viewer.get(PRODUCT_PAGE))
    response = viewer.post(
        PRICE_URL,
        data={"price": "9,99"},
        headers={"HX-Request": "true", "HX-Target": "product-BOUL001", "X-CSRFToken": token},
    )
    assert response.status_code == 403
    assert response.headers["HX-Retarget"] == "#messages"
    assert response.get_data(as_text=True).startswith('<p class="message message-error" role="alert">')
    assert _price(ho_app) == 130


def test_a_console_change_is_in_the_change_log_without_its_secrets(ho_app, ho_runner):
    result = ho_runner.invoke(
        args=["create-staff", "BOUTIQUE01", "VEND07", "Sept", "--rights", "sell", "--password", "7777"]
    )
    assert result.exit_code == 0, result.output
    with ho_app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
    assert (entry.who, entry.action) == ("console", "console:create-staff")
    assert (
        '"code":"VEND07"' in entry.after and '"password":"given"' in entry.after and "7777" not in entry.after
    )


def test_five_wrong_passwords_lock_the_account_even_against_the_right_one(ho_app, ho_web):
    user_id = make_user(ho_app, "marie", "manager")
    for _ in range(5):
        assert sign_in(ho_app.test_client(), "marie", "not her password").status_code == 401

    locked = sign_in(ho_app.test_client(), "marie")

    assert locked.status_code == 429
    assert "Trop d&#39;essais : ce compte est bloqué quelques minutes." in locked.get_data(as_text=True)
    admin = ho_web("administrator")
    post(
        admin, f"/utilisateurs/{user_id}/mot-de-passe", {"password": "a brand new one"}, page="/utilisateurs"
    )
    assert sign_in(ho_app.test_client(), "marie", "a brand new one").status_code == 302


def test_a_right_password_resets_the_count_of_wrong_ones(ho_app):
    make_user(ho_app, "marie", "manager")
    for _ in range(4):
        sign_in(ho_app.test_client(), "marie", "not her password")
    assert sign_in(ho_app.test_client(), "marie").status_code == 302
    for _ in range(4):
        sign_in(ho_app.test_client(), "marie", "not her password")
    assert sign_in(ho_app.test_client(), "marie").status_code == 302
