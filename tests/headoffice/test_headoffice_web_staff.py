"""The shop's staff and box tokens from head office's screens: a new person, a new code, new
rights, a disabled person; a token created, used, revoked. Each reaches the boxes through
the API; each refusal changes nothing."""

import json

import pytest
from sqlalchemy import inspect, select, text
from werkzeug.security import check_password_hash

from headoffice.catalog_version import catalog_version
from headoffice.extensions import db
from headoffice.models import ApiToken, AuditEntry, Staff, StaffRight
from tests.support.ho_web import post, rows

SHOP = "/boutique/BOUTIQUE01"
SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


@pytest.fixture
def manager(ho_web):
    return ho_web("manager")


@pytest.fixture
def unchanged(ho_app, manager):
    def state():
        with ho_app.app_context():
            version = catalog_version(db.session, 1)
        return [rows(ho_app, table) for table in (Staff, StaffRight, ApiToken, AuditEntry)], version

    before = state()
    return lambda: state() == before


def _staff(ho_api) -> dict:
    return {person["code"]: person for person in ho_api.get(SNAPSHOT).json["staff"]}


def test_a_new_person_reaches_the_snapshot_with_their_rights(manager, ho_api):
    response = post(
        manager,
        f"{SHOP}/personnel",
        {"code": "VEND09", "name": "Nouvelle Vendeuse", "secret": "4321", "rights": ["sell", "import"]},
    )
    assert response.status_code == 302
    person = _staff(ho_api)["VEND09"]
    assert person["rights"] == ["import", "sell"]
    assert check_password_hash(person["password_hash"], "4321")


@pytest.mark.parametrize(
    "form, words",
    [
        ({"code": "VEND01", "name": "X", "secret": "4321"}, "La personne VEND01 existe déjà."),
        ({"code": "V9", "name": "X", "secret": "12"}, "Le code compte au moins 4 caractères."),
        ({"code": "V9", "name": "X", "secret": "12 34"}, "sans espace"),
        ({"code": "V9", "name": "", "secret": "4321"}, "Le nom ne doit pas être vide."),
        ({"code": "V 9", "name": "X", "secret": "4321"}, "Un code compte 1 à 32"),
        ({"code": "V9", "name": "X", "secret": "4321", "rights": ["fly"]}, "Droit(s) inconnu(s) : fly."),
    ],
)
def test_a_bad_new_person_is_refused(manager, unchanged, form, words):
    response = post(manager, f"{SHOP}/personnel", form)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert unchanged()


def test_a_cashiers_new_code_reaches_the_snapshot_and_the_old_one_stops(ho_app, manager, ho_api):
    page = f"{SHOP}/personnel/VEND01"
    response = post(manager, f"{page}/code", {"secret": "9876", "confirm": "9876"}, page=page)
    assert response.status_code == 302
    stored = _staff(ho_api)["VEND01"]["password_hash"]
    assert check_password_hash(stored, "9876") and not check_password_hash(stored, "1111")
    with ho_app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert (entry.action, entry.subject) == ("staff_code_changed", "staff:VEND01")
        assert "9876" not in entry.after and "pbkdf2" not in entry.after and "scrypt" not in entry.after


def test_two_different_codes_are_refused(manager, unchanged):
    page = f"{SHOP}/personnel/VEND01"
    response = post(manager, f"{page}/code", {"secret": "9876", "confirm": "9875"}, page=page)
    assert response.status_code == 422 and "Les deux codes tapés diffèrent" in response.get_data(as_text=True)
    assert unchanged()


def test_an_unknown_person_is_refused(manager, unchanged):
    response = post(
        manager,
        f"{SHOP}/personnel/NOPE/code",
        {"secret": "9876", "confirm": "9876"},
        page=f"{SHOP}/personnel",
    )
    assert response.status_code == 404 and "Personne inconnue : NOPE." in response.get_data(as_text=True)
    assert unchanged()


def test_new_rights_reach_the_snapshot_and_the_log(ho_app, manager, ho_api):
    page = f"{SHOP}/personnel/VEND02"
    assert post(manager, f"{page}/droits", {"rights": ["sell", "refund"]}, page=page).status_code == 302
    assert _staff(ho_api)["VEND02"]["rights"] == ["refund", "sell"]
    with ho_app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        assert json.loads(entry.before) == {"rights": ["sell"]}
        assert json.loads(entry.after) == {"rights": ["sell", "refund"]}


def test_a_disabled_person_leaves_the_snapshot_and_the_importers(manager, ho_api):
    page = f"{SHOP}/personnel/VEND01"
    assert post(manager, f"{page}/actif", {}, page=page).status_code == 302
    assert "VEND01" not in _staff(ho_api)
    importers = ho_api.get("/api/v1/registers").json["registers"][0]["importers"]
    assert [person["code"] for person in importers] == ["RESP01"]
    assert post(manager, f"{page}/actif", {"active": "on"}, page=page).status_code == 302
    assert "VEND01" in _staff(ho_api)


def test_a_viewer_cannot_change_a_code(ho_app, ho_web):
    viewer = ho_web("viewer")
    before = rows(ho_app, Staff)
    page = f"{SHOP}/personnel/VEND01"
    assert "Changer le code" not in viewer.get(page).get_data(as_text=True)
    assert post(viewer, f"{page}/code", {"secret": "9876", "confirm": "9876"}, page=page).status_code == 403
    assert rows(ho_app, Staff) == before


# --- box tokens ---------------------------------------------------------------------------


def test_an_administrator_creates_a_token_that_works_and_revokes_it(ho_app, ho_web, ho_client):
    admin = ho_web("administrator")
    response = post(admin, f"{SHOP}/jetons", {"label": "Caisse 3"})
    assert response.status_code == 200
    token = response.get_data(as_text=True).split("<code>")[1].split("</code>")[0]
    auth = {"Authorization": f"Bearer {token}"}
    assert ho_client.get("/api/v1/registers", headers=auth).status_code == 200
    with ho_app.app_context():
        token_id = db.session.scalar(select(ApiToken.id).where(ApiToken.label == "Caisse 3"))
        assert token not in db.session.scalar(
            select(AuditEntry.after).order_by(AuditEntry.id.desc()).limit(1)
        )

    revoked = post(admin, f"{SHOP}/jetons/{token_id}/revoquer", page=f"{SHOP}/jetons")

    assert revoked.status_code == 302
    assert ho_client.get("/api/v1/registers", headers=auth).status_code == 401
    assert (
        ho_client.get("/api/v1/registers", headers={"Authorization": "Bearer demo-box-token"}).status_code
        == 200
    )


def test_a_token_without_a_name_or_of_another_kind_is_refused(ho_app, ho_web):
    admin = ho_web("administrator")
    before = rows(ho_app, ApiToken)
    assert post(admin, f"{SHOP}/jetons", {"label": " "}).status_code == 422
    with ho_app.app_context():
        pull_token = db.session.scalar(select(ApiToken.id).where(ApiToken.kind == "headoffice"))
    # The pull API's token is not a box token of this shop: it cannot be revoked here.
    assert post(admin, f"{SHOP}/jetons/{pull_token}/revoquer", page=f"{SHOP}/jetons").status_code == 404
    assert rows(ho_app, ApiToken) == before


# --- an older head office database -------------------------------------------------------


def test_init_db_adds_what_the_screens_need_to_an_older_database(ho_app, ho_runner, ho_api):
    with ho_app.app_context(), db.engine.begin() as connection:
        for table in ("audit_entry", "headoffice_user", "register_contact"):
            connection.execute(text(f"DROP TABLE {table}"))
        connection.execute(text("ALTER TABLE staff DROP COLUMN active"))
    with ho_app.app_context():
        db.engine.dispose()

    result = ho_runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Column staff.active added." in result.output
    with ho_app.app_context():
        assert {"audit_entry", "headoffice_user", "register_contact"} <= set(
            inspect(db.engine).get_table_names()
        )
    assert set(_staff(ho_api)) == {"RESP01", "VEND01", "VEND02"}  # everyone active
