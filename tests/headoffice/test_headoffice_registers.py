"""GET /api/v1/registers: what the box shows on its import screen."""

from werkzeug.security import check_password_hash


def test_lists_the_shop_registers_with_staff_allowed_to_import(ho_api):
    response = ho_api.get("/api/v1/registers")

    assert response.status_code == 200
    body = response.json
    assert body["shop"] == {
        "code": "BOUTIQUE01",
        "name": "Comptoir Démo",
        "address": "12 rue du Commerce, 75015 Paris",
        "vat_number": "FR00123456789",
        "timezone": "Europe/Paris",
        "currency": "EUR",
        "fiscal_year_end": "12-31",
    }
    assert [register["code"] for register in body["registers"]] == ["CAISSE01", "CAISSE02"]
    importers = body["registers"][0]["importers"]
    # VEND02 only sells: not allowed to import.
    assert [person["code"] for person in importers] == ["RESP01", "VEND01"]
    assert set(importers[0]) == {"code", "name", "password_hash"}


def test_importer_hashes_check_offline_with_werkzeug(ho_api):
    importers = ho_api.get("/api/v1/registers").json["registers"][0]["importers"]
    hashes = {person["code"]: person["password_hash"] for person in importers}

    assert check_password_hash(hashes["RESP01"], "1234")
    assert check_password_hash(hashes["VEND01"], "1111")
    assert not check_password_hash(hashes["VEND01"], "1234")
