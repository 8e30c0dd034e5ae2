"""Managing what the registers import from head office's screens: every change is logged
with before and after, moves the shop's catalogue version so the next snapshot carries it;
every refusal says why and changes nothing (rows, version, log)."""

import json

import pytest
from sqlalchemy import select

from headoffice.catalog_version import catalog_version
from headoffice.extensions import db
from headoffice.models import AuditEntry, Barcode, Category, PaymentMethod, Product, Register, VatRate
from tests.support.ho_web import post, rows

SHOP = "/boutique/BOUTIQUE01"
SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def _version(ho_app) -> int:
    with ho_app.app_context():
        return catalog_version(db.session, 1)


def _snapshot(ho_api) -> dict:
    response = ho_api.get(SNAPSHOT)
    assert response.status_code == 200
    return response.json


def _last_change(ho_app) -> AuditEntry:
    with ho_app.app_context():
        entry = db.session.scalars(select(AuditEntry).order_by(AuditEntry.id.desc()).limit(1)).one()
        db.session.expunge(entry)
        return entry


@pytest.fixture
def manager(ho_web):
    return ho_web("manager")


@pytest.fixture
def unchanged(ho_app, manager):
    """Snapshots the tables a refusal must leave alone, the version and the log (once the
    manager is signed in); call it after the refusal to compare."""
    tables = (Product, Barcode, VatRate, Category, PaymentMethod, Register, AuditEntry)

    def state():
        return [rows(ho_app, table) for table in tables], _version(ho_app)

    before = state()
    return lambda: state() == before


# --- products and prices ------------------------------------------------------------------


def test_a_new_price_is_logged_moves_the_version_and_reaches_the_next_snapshot(ho_app, ho_web, ho_api):
    manager = ho_web("manager")
    first = ho_api.get(SNAPSHOT)
    version = _version(ho_app)

    response = post(
        manager, f"{SHOP}/produits/BOUL001/prix", {"price": "1,45"}, page=f"{SHOP}/produits/BOUL001"
    )

    assert response.status_code == 302
    assert "Enregistré" in manager.get(response.headers["Location"]).get_data(as_text=True)
    assert _version(ho_app) == version + 1
    entry = _last_change(ho_app)
    assert (entry.who, entry.action, entry.subject) == ("manager", "price_changed", "product:BOUL001")
    assert json.loads(entry.before) == {"price_cents": 130} and json.loads(entry.after) == {
        "price_cents": 145
    }
    again = ho_api.get(SNAPSHOT, headers={"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 200  # not 304: the box takes the new catalogue
    product = next(p for p in again.json["products"] if p["code"] == "BOUL001")
    assert product["price_cents"] == 145


def test_an_unchanged_catalogue_keeps_its_version_and_its_etag(ho_app, manager, ho_api):
    first = ho_api.get(SNAPSHOT)
    version = _version(ho_app)
    post(manager, f"{SHOP}/produits/BOUL001/prix", {"price": "1,30"}, page=f"{SHOP}/produits/BOUL001")  # same
    assert _version(ho_app) == version
    assert ho_api.get(SNAPSHOT, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304


@pytest.mark.parametrize(
    "price, words",
    [
        ("-1,00", "Le prix ne peut pas être négatif."),
        ("abc", "Le prix : écrivez un montant en euros"),
        ("1,234", "deux décimales au plus"),
        ("", "Le prix : écrivez un montant"),
        ("99999999999", "écrivez un montant"),
        ("10000000,01", "dépasse 10 000 000 €"),
    ],
)
def test_a_bad_price_is_refused_and_changes_nothing(manager, unchanged, price, words):
    response = post(
        manager, f"{SHOP}/produits/BOUL001/prix", {"price": price}, page=f"{SHOP}/produits/BOUL001"
    )
    assert response.status_code == 422
    assert words in response.get_data(as_text=True)
    assert unchanged()


def test_an_unknown_product_is_refused(manager, unchanged):
    response = post(manager, f"{SHOP}/produits/NOPE/prix", {"price": "1,00"}, page=f"{SHOP}/produits")
    assert response.status_code == 404 and "Produit inconnu : NOPE." in response.get_data(as_text=True)
    assert unchanged()


def test_search_finds_by_name_code_or_barcode(ho_web):
    manager = ho_web("viewer")
    by_name = manager.get(f"{SHOP}/produits?q=baguette").get_data(as_text=True)
    by_barcode = manager.get(f"{SHOP}/produits?q=3769999000015").get_data(as_text=True)
    nothing = manager.get(f"{SHOP}/produits?q=%25_nothing").get_data(as_text=True)
    assert "BOUL001" in by_name and "BOUL001" in by_barcode
    assert "Aucun produit trouvé." in nothing


def test_htmx_search_returns_only_the_results(ho_web):
    fragment = ho_web("viewer").get(
        f"{SHOP}/produits?q=baguette", headers={"HX-Request": "true", "HX-Target": "results"}
    )
    text = fragment.get_data(as_text=True)
    assert text.lstrip().startswith("<table>") and "BOUL001" in text and "<html" not in text


def test_disabling_a_product_reaches_the_snapshot(ho_web, ho_api):
    manager = ho_web("manager")
    post(manager, f"{SHOP}/produits/BOUL001/actif", {}, page=f"{SHOP}/produits/BOUL001")
    product = next(p for p in _snapshot(ho_api)["products"] if p["code"] == "BOUL001")
    assert product["active"] is False


def test_a_barcode_is_added_and_removed(ho_app, ho_web, ho_api):
    manager = ho_web("manager")
    page = f"{SHOP}/produits/BOUL001"
    assert post(manager, f"{page}/codes-barres", {"barcode": "4006381333931"}, page=page).status_code == 302
    assert {"code": "4006381333931", "product_code": "BOUL001"} in _snapshot(ho_api)["barcodes"]
    assert (
        post(manager, f"{page}/codes-barres/retirer", {"barcode": "4006381333931"}, page=page).status_code
        == 302
    )
    assert not any(b["code"] == "4006381333931" for b in _snapshot(ho_api)["barcodes"])


def test_a_barcode_of_another_product_is_refused(manager, unchanged):
    page = f"{SHOP}/produits/CREM009"
    response = post(manager, f"{page}/codes-barres", {"barcode": "3769999000015"}, page=page)
    assert response.status_code == 422
    assert "Le code-barres 3769999000015 appartient déjà au produit BOUL001." in response.get_data(
        as_text=True
    )
    assert unchanged()


@pytest.mark.parametrize("barcode", ["3769999000016", "12ab", "", "0" * 40])
def test_a_malformed_barcode_is_refused(manager, unchanged, barcode):
    page = f"{SHOP}/produits/CREM009"
    response = post(manager, f"{page}/codes-barres", {"barcode": barcode}, page=page)
    assert response.status_code == 422 and unchanged()


# --- VAT, categories, payment methods -----------------------------------------------------


def test_a_vat_rate_is_created_and_changed(ho_web, ho_api):
    manager = ho_web("manager")
    assert post(manager, f"{SHOP}/tva", {"code": "TVA85", "rate": "8,5", "label": "DOM"}).status_code == 302
    assert (
        post(manager, f"{SHOP}/tva/TVA85", {"rate": "2,1", "label": "DOM"}, page=f"{SHOP}/tva").status_code
        == 302
    )
    rates = {v["code"]: v["rate_bp"] for v in _snapshot(ho_api)["vat_rates"]}
    assert rates["TVA85"] == 210


@pytest.mark.parametrize(
    "form, words",
    [
        ({"code": "TVA20", "rate": "20", "label": "x"}, "Le taux TVA20 existe déjà."),
        ({"code": "T", "rate": "101", "label": "x"}, "entre 0 et 100 pour cent"),
        ({"code": "T", "rate": "-5", "label": "x"}, "écrivez un pourcentage"),
        ({"code": "T", "rate": "5,555", "label": "x"}, "écrivez un pourcentage"),
        ({"code": "bad code", "rate": "5", "label": "x"}, "Un code compte 1 à 32"),
        ({"code": "T", "rate": "5", "label": " "}, "Le nom ne doit pas être vide."),
    ],
)
def test_a_bad_vat_rate_is_refused(manager, unchanged, form, words):
    response = post(manager, f"{SHOP}/tva", form)
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert unchanged()


def test_a_category_is_created_under_a_parent_and_renamed(ho_web, ho_api):
    manager = ho_web("manager")
    created = post(
        manager, f"{SHOP}/categories", {"code": "BIO", "name": "Bio", "parent": "FRLE", "position": "3"}
    )
    assert created.status_code == 302
    renamed = post(
        manager,
        f"{SHOP}/categories/BIO",
        {"name": "Bio local", "parent": "FRLE", "position": "3"},
        page=f"{SHOP}/categories",
    )
    assert renamed.status_code == 302
    category = next(c for c in _snapshot(ho_api)["categories"] if c["code"] == "BIO")
    assert (category["name"], category["parent_code"]) == ("Bio local", "FRLE")


@pytest.mark.parametrize(
    "url, form, words",
    [
        ("/categories", {"code": "X", "name": "X", "parent": "NOPE"}, "Catégorie parente inconnue : NOPE."),
        ("/categories", {"code": "BOUL", "name": "X"}, "La catégorie BOUL existe déjà."),
        ("/categories", {"code": "X", "name": "X", "color": "red"}, "#RRGGBB"),
        ("/categories", {"code": "X", "name": "X", "position": "1.5"}, "écrivez un nombre entier"),
        ("/categories/BOUL", {"name": "X", "parent": "BOUL"}, "sa propre parente"),
        ("/categories/NOPE", {"name": "X"}, "Catégorie inconnue : NOPE."),
    ],
)
def test_a_bad_category_is_refused(manager, unchanged, url, form, words):
    response = post(manager, f"{SHOP}{url}", form, page=f"{SHOP}/categories")
    assert response.status_code in (404, 422) and words in response.get_data(as_text=True)
    assert unchanged()


def test_a_category_loop_is_refused(ho_web, ho_app):
    manager = ho_web("manager")
    post(manager, f"{SHOP}/categories", {"code": "CHILD", "name": "Child", "parent": "BOUL"})
    before = rows(ho_app, Category)
    response = post(
        manager,
        f"{SHOP}/categories/BOUL",
        {"name": "Boulangerie", "parent": "CHILD"},
        page=f"{SHOP}/categories",
    )
    assert response.status_code == 422 and "boucle" in response.get_data(as_text=True)
    assert rows(ho_app, Category) == before


def test_a_payment_method_is_created_and_its_flags_changed(ho_web, ho_api):
    manager = ho_web("manager")
    created = post(
        manager,
        f"{SHOP}/paiements",
        {"code": "VIR", "name": "Virement", "position": "9", "goes_to_safe": "on"},
    )
    assert created.status_code == 302
    changed = post(
        manager,
        f"{SHOP}/paiements/VIR",
        {"name": "Virement", "position": "9", "counted_in_drawer": "on"},
        page=f"{SHOP}/paiements",
    )
    assert changed.status_code == 302
    method = next(m for m in _snapshot(ho_api)["payment_methods"] if m["code"] == "VIR")
    assert method["counted_in_drawer"] and not method["goes_to_safe"]


def test_a_titre_service_cannot_be_made_to_give_change(manager, unchanged):
    response = post(
        manager,
        f"{SHOP}/paiements/TS",
        {"name": "Titre-service", "position": "4", "gives_change": "on"},
        page=f"{SHOP}/paiements",
    )
    assert response.status_code == 422 and "ne rend jamais la monnaie" in response.get_data(as_text=True)
    assert unchanged()


def test_a_duplicate_payment_method_is_refused(manager, unchanged):
    response = post(manager, f"{SHOP}/paiements", {"code": "ESP", "name": "Espèces"})
    assert response.status_code == 422 and "existe déjà" in response.get_data(as_text=True)
    assert unchanged()


# --- registers and their settings ---------------------------------------------------------


SETTINGS = {
    "name": "Caisse 1",
    "max_float": "800,00",
    "counting_mandatory": "on",
    "max_discount": "20",
    "receipt_header": "Bienvenue",
    "receipt_footer": "Merci",
    "auto_close_time": "21:30",
    "planned_import_time": "",
}


def test_register_settings_reach_the_snapshot(ho_web, ho_api):
    manager = ho_web("manager")
    url = f"{SHOP}/caisses/CAISSE01/reglages"
    assert post(manager, url, SETTINGS).status_code == 302
    settings = _snapshot(ho_api)["register"]["settings"]
    assert settings["max_float_cents"] == 80_000 and settings["max_discount_percent"] == 20
    assert settings["auto_close_time"] == "21:30" and not settings["blind_count"]


@pytest.mark.parametrize(
    "change, words",
    [
        ({"max_float": "-5"}, "Le fonds de caisse maximum ne peut pas être négatif."),
        ({"max_discount": "120"}, "entre 0 et 100"),
        ({"auto_close_time": "25:00"}, "Heure 25:00"),
        ({"name": ""}, "Le nom ne doit pas être vide."),
    ],
)
def test_bad_register_settings_are_refused(manager, unchanged, change, words):
    response = post(manager, f"{SHOP}/caisses/CAISSE01/reglages", {**SETTINGS, **change})
    assert response.status_code == 422 and words in response.get_data(as_text=True)
    assert unchanged()


def test_an_unknown_register_is_refused(manager, unchanged):
    response = post(
        manager, f"{SHOP}/caisses/NOPE/reglages", SETTINGS, page=f"{SHOP}/caisses/CAISSE01/reglages"
    )
    assert response.status_code == 404 and "Caisse inconnue : NOPE." in response.get_data(as_text=True)
    assert manager.get(f"{SHOP}/caisses/NOPE").status_code == 404
    assert unchanged()


def test_a_viewer_sees_the_settings_but_cannot_save_them(ho_app, ho_web):
    viewer = ho_web("viewer")
    before = rows(ho_app, Register), rows(ho_app, AuditEntry), _version(ho_app)
    assert viewer.get(f"{SHOP}/caisses/CAISSE01/reglages").status_code == 200
    assert post(viewer, f"{SHOP}/caisses/CAISSE01/reglages", SETTINGS).status_code == 403
    assert (rows(ho_app, Register), rows(ho_app, AuditEntry), _version(ho_app)) == before


def test_a_new_register_answers_the_api(ho_web, ho_api):
    manager = ho_web("manager")
    response = post(manager, f"{SHOP}/caisses/nouvelle", {**SETTINGS, "code": "CAISSE03"})
    assert response.status_code == 302
    assert ho_api.get("/api/v1/registers/CAISSE03/snapshot").status_code == 200
    duplicate = post(manager, f"{SHOP}/caisses/nouvelle", {**SETTINGS, "code": "CAISSE03"})
    assert duplicate.status_code == 422 and "La caisse CAISSE03 existe déjà." in duplicate.get_data(
        as_text=True
    )


def test_the_change_log_shows_who_changed_what_before_and_after(ho_web):
    manager = ho_web("manager")
    post(manager, f"{SHOP}/produits/BOUL001/prix", {"price": "1,45"}, page=f"{SHOP}/produits/BOUL001")
    page = manager.get("/journal").get_data(as_text=True)
    assert "price_changed" in page and "product:BOUL001" in page
    assert "price_cents = 130" in page and "price_cents = 145" in page
    assert "manager" in manager.get("/journal?qui=manager").get_data(as_text=True)
    assert "Aucune modification." in manager.get("/journal?qui=nobody").get_data(as_text=True)


@pytest.mark.parametrize("role", ["viewer", "nobody-knows"])
def test_the_services_check_the_role_themselves(ho_app, manager, unchanged, role):
    """Whatever screen or command calls them: a role without the right changes nothing."""
    from headoffice.audit import Actor
    from headoffice.manage import products
    from headoffice.refusals import NotAllowed

    with ho_app.test_request_context():
        with pytest.raises(NotAllowed):
            products.change_price(db.session, Actor(1, "someone", role), 1, "BOUL001", 99)
        db.session.rollback()
    assert unchanged()
