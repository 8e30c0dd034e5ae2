"""GET /api/v1/registers/{code}/snapshot: content, version, ETag, gzip."""

import gzip
import json

from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from headoffice.canonical import canonical_sha256
from headoffice.catalog_version import bump_catalog_version
from headoffice.extensions import db
from headoffice.gtin import is_valid_gtin
from headoffice.models import Product
from headoffice.rights import ALL_RIGHTS

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def test_snapshot_holds_what_the_register_needs(ho_api):
    response = ho_api.get(SNAPSHOT)

    assert response.status_code == 200
    snap = response.json
    assert snap["shop"]["code"] == "BOUTIQUE01"
    assert snap["register"]["code"] == "CAISSE01"
    assert snap["register"]["settings"]["max_float_cents"] == 100_000
    assert {person["code"]: person["rights"] for person in snap["staff"]} == {
        "RESP01": sorted(ALL_RIGHTS),
        "VEND01": ["discount", "import", "sell"],
        "VEND02": ["sell"],
    }
    assert {vat["code"]: vat["rate_bp"] for vat in snap["vat_rates"]} == {
        "TVA20": 2000,
        "TVA10": 1000,
        "TVA55": 550,
        "TVA21": 210,
    }
    methods = {method["code"]: method for method in snap["payment_methods"]}
    assert [method["code"] for method in snap["payment_methods"]] == ["ESP", "CB", "CHQ", "TS", "AV"]
    assert methods["ESP"]["gives_change"] and methods["ESP"]["counted_in_drawer"]
    assert methods["TS"]["goes_to_safe"] and methods["TS"]["counted_as_items"]
    assert not methods["TS"]["gives_change"]
    assert [code for code, method in methods.items() if method["store_credit"]] == ["AV"]
    assert not any(
        methods["AV"][flag]
        for flag in ("gives_change", "counted_in_drawer", "goes_to_safe", "counted_as_items")
    )
    assert snap["credit_notes"] == []
    assert len(snap["categories"]) == 12
    assert [d["value_cents"] for d in snap["denominations"] if d["kind"] == "coin"] == [
        1,
        2,
        5,
        10,
        20,
        50,
        100,
        200,
    ]
    assert [d["value_cents"] for d in snap["denominations"] if d["kind"] == "note"] == [
        500,
        1000,
        2000,
        5000,
        10000,
        20000,
        50000,
    ]
    resp = next(person for person in snap["staff"] if person["code"] == "RESP01")
    assert check_password_hash(resp["password_hash"], "1234")


def test_snapshot_catalog_is_consistent(ho_api):
    snap = ho_api.get(SNAPSHOT).json
    products = snap["products"]
    category_codes = {category["code"] for category in snap["categories"]}
    vat_codes = {vat["code"] for vat in snap["vat_rates"]}

    assert 190 <= len(products) <= 210
    assert len({product["code"] for product in products}) == len(products)
    for product in products:
        assert type(product["price_cents"]) is int and product["price_cents"] > 0
        assert product["category_code"] in category_codes
        assert product["vat_code"] in vat_codes
    assert 1 <= sum(product["unit"] == "kg" for product in products) <= 20

    codes = [barcode["code"] for barcode in snap["barcodes"]]
    assert len(codes) == len(set(codes)) == len(products)
    assert all(len(code) == 13 and is_valid_gtin(code) for code in codes)
    assert {barcode["product_code"] for barcode in snap["barcodes"]} == {p["code"] for p in products}


def test_snapshot_is_gzipped_when_the_client_accepts_it(ho_api):
    response = ho_api.get(SNAPSHOT, headers={"Accept-Encoding": "gzip, deflate"})

    assert response.status_code == 200
    assert response.headers["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response.headers["Vary"]
    snap = json.loads(gzip.decompress(response.get_data()))
    assert len(snap["products"]) == len(ho_api.get(SNAPSHOT).json["products"])


def test_snapshot_is_plain_without_accept_encoding(ho_api):
    response = ho_api.get(SNAPSHOT)

    assert "Content-Encoding" not in response.headers
    assert "Accept-Encoding" in response.headers["Vary"]


def test_etag_is_the_version_and_if_none_match_answers_304(ho_api):
    first = ho_api.get(SNAPSHOT)
    version = first.json["version"]
    assert len(version) == 64
    assert first.headers["ETag"] == f'"{version}"'

    again = ho_api.get(SNAPSHOT, headers={"If-None-Match": f'"{version}"'})
    assert again.status_code == 304
    assert again.get_data() == b""
    assert again.headers["ETag"] == f'"{version}"'

    stale = ho_api.get(SNAPSHOT, headers={"If-None-Match": '"not-the-version"'})
    assert stale.status_code == 200


def test_version_is_the_sha256_of_the_canonical_content(ho_api):
    snap = ho_api.get(SNAPSHOT).json
    content = {key: value for key, value in snap.items() if key not in ("version", "generated_at")}

    assert snap["version"] == canonical_sha256(content)
    assert snap["generated_at"].endswith("Z")


def test_version_is_stable_and_follows_the_content(ho_api, ho_app):
    first = ho_api.get(SNAPSHOT).json
    second = ho_api.get(SNAPSHOT).json
    assert first["version"] == second["version"]

    with ho_app.app_context():  # as every writer of products does (catalog_version.py)
        db.session.execute(update(Product).where(Product.code == "BOUL001").values(price_cents=140))
        bump_catalog_version(db.session)
        db.session.commit()

    third = ho_api.get(SNAPSHOT, headers={"If-None-Match": f'"{first["version"]}"'})
    assert third.status_code == 200
    assert third.json["version"] != first["version"]
    baguette = next(p for p in third.json["products"] if p["code"] == "BOUL001")
    assert baguette["price_cents"] == 140


def test_each_register_gets_its_own_settings(ho_api):
    first = ho_api.get(SNAPSHOT).json
    second = ho_api.get("/api/v1/registers/CAISSE02/snapshot").json

    assert second["register"]["code"] == "CAISSE02"
    assert second["version"] != first["version"]
    assert second["products"] == first["products"]


def test_unknown_register_is_404(ho_api, ho_app):
    response = ho_api.get("/api/v1/registers/CAISSE99/snapshot")

    assert response.status_code == 404
    assert response.json["error"] == "register_not_found"
    with ho_app.app_context():
        assert db.session.scalar(select(Product.id).limit(1)) is not None
