"""POST /api/v1/shops/{shop}/catalog and `import-catalog`: an ERP feeds head office's catalogue
(contract 1.5.0) — upsert by code, refused rows reported, nothing half-applied, and the next
import of every register carries the change."""

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from headoffice.extensions import db
from headoffice.gtin import ean13
from headoffice.models import Barcode, Product
from tests.support.typed_input import HOSTILE_CLASSES, hostile_text

CATALOG = "/api/v1/shops/BOUTIQUE01/catalog"
SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def _post(ho_api, body, content_type="text/csv", **kwargs):
    data = body.encode("utf-8") if isinstance(body, str) else body
    return ho_api.call(
        "POST", CATALOG, token="headoffice", data=data, headers={"Content-Type": content_type}, **kwargs
    )


def _catalogue(ho_app) -> dict:
    """code → (name, price, unit, active, sorted barcodes), read from the database."""
    with ho_app.app_context():
        barcodes: dict[int, list[str]] = {}
        for code, product_id in db.session.execute(select(Barcode.code, Barcode.product_id)):
            barcodes.setdefault(product_id, []).append(code)
        return {
            code: (name, price, unit, active, sorted(barcodes.get(pid, [])))
            for pid, code, name, price, unit, active in db.session.execute(
                select(
                    Product.id, Product.code, Product.name, Product.price_cents, Product.unit, Product.active
                )
            )
        }


def _snapshot_version(ho_api) -> str:
    return ho_api.get(SNAPSHOT).json["version"]


def test_a_csv_creates_and_updates_products_by_code(ho_api, ho_app):
    before = _catalogue(ho_app)
    version = _snapshot_version(ho_api)
    csv = (
        "code;name;category_code;vat_code;price;unit;barcodes\n"
        f"NEW001;Confiture d’abricots 370 g;EPIC;TVA55;3,45;unit;{ean13('376000000001')}\n"
        f"NEW002;Noix de Grenoble;FRLE;TVA55;12,90;kg;{ean13('376000000002')} 2123456\n"
        "BOUL001;Baguette tradition;BOUL;TVA55;1,40;unit;\n"
    )

    response = _post(ho_api, csv)

    assert response.status_code == 200, response.json
    report = response.json
    assert (report["applied"], report["created"], report["updated"], report["refused"]) == (True, 2, 1, [])
    assert report["barcodes_added"] == 3 and report["barcodes_removed"] == 1  # BOUL001's, emptied
    after = _catalogue(ho_app)
    assert after["NEW001"] == ("Confiture d’abricots 370 g", 345, "unit", True, [ean13("376000000001")])
    assert after["NEW002"] == (
        "Noix de Grenoble",
        1290,
        "kg",
        True,
        sorted([ean13("376000000002"), "2123456"]),
    )
    assert after["BOUL001"][1] == 140 and after["BOUL001"][4] == []
    assert {code: row for code, row in after.items() if code not in ("NEW001", "NEW002", "BOUL001")} == {
        code: row for code, row in before.items() if code != "BOUL001"
    }
    # A box's next import carries it: the old version is no longer current.
    fresh = ho_api.get(SNAPSHOT, headers={"If-None-Match": f'"{version}"'})
    assert fresh.status_code == 200
    products = {p["code"]: p for p in fresh.json["products"]}
    assert products["BOUL001"]["price_cents"] == 140 and products["NEW002"]["unit"] == "kg"


def test_a_json_list_updates_only_the_fields_it_gives(ho_api, ho_app):
    before = _catalogue(ho_app)
    body = {"products": [{"code": "CREM009", "price_cents": 315}, {"code": "BOIS011", "active": False}]}

    response = _post(ho_api, json.dumps(body), "application/json")

    assert response.status_code == 200, response.json
    assert (response.json["updated"], response.json["created"]) == (2, 0)
    after = _catalogue(ho_app)
    assert after["CREM009"] == (before["CREM009"][0], 315, *before["CREM009"][2:])
    assert after["BOIS011"][3] is False and after["BOIS011"][4] == before["BOIS011"][4]  # barcodes kept


def test_the_same_file_twice_changes_nothing_the_second_time(ho_api, ho_app):
    csv = "code,name,price_cents\nBOUL001,Baguette,150\n"
    assert _post(ho_api, csv).json["updated"] == 1
    version = _snapshot_version(ho_api)

    again = _post(ho_api, csv).json

    assert (again["updated"], again["unchanged"]) == (0, 1)
    assert _snapshot_version(ho_api) == version  # same content, same version


def test_a_barcode_may_move_to_another_product_in_the_same_file(ho_api, ho_app):
    before = _catalogue(ho_app)
    moving = before["BOUL001"][4][0]
    csv = f"code;barcodes\nBOUL001;\nBOUL002;{moving}|{before['BOUL002'][4][0]}\n"

    response = _post(ho_api, csv)

    assert response.status_code == 200, response.json
    after = _catalogue(ho_app)
    assert after["BOUL001"][4] == [] and moving in after["BOUL002"][4]


BAD_ROWS = (
    ("NEW010;Produit;BAZA;TVA20;-1,00;", "negative_price", "price"),
    ("NEW011;Produit;BAZA;TVA99;1,00;", "unknown_vat", "vat_code"),
    ("NEW012;Produit;NOPE;TVA20;1,00;", "unknown_category", "category_code"),
    ("NEW013;Produit;BAZA;TVA20;1,00;3760000000019", "bad_barcode", "barcodes"),
    ("NEW014;Produit;BAZA;TVA20;2,5x;", "bad_price", "price"),
    ("NEW015;;BAZA;TVA20;1,00;", "missing_field", "name"),
    ("NEW;016;Produit;BAZA;TVA20;1,00;", "wrong_column_count", ""),
)


def test_refused_rows_are_all_reported_and_nothing_changes(ho_api, ho_app, ho_count):
    before = _catalogue(ho_app)
    version = _snapshot_version(ho_api)
    taken = before["BOUL001"][4][0]  # BOUL001 keeps it: not in the file
    shared = ean13("376000000099")
    lines = [row for row, _reason, _field in BAD_ROWS] + [
        f"NEW020;Produit;BAZA;TVA20;1,00;{taken}",
        f"NEW021;Produit;BAZA;TVA20;1,00;{shared}",
        f"NEW022;Produit;BAZA;TVA20;1,00;{shared}",
        "NEW023;Produit correct;BAZA;TVA20;1,00;",
        "NEW023;Le même code;BAZA;TVA20;1,00;",
    ]
    csv = "code;name;category_code;vat_code;price;barcodes\n" + "\n".join(lines) + "\n"

    response = _post(ho_api, csv)

    assert response.status_code == 422
    body = response.json
    assert body["error"] == "rows_refused" and body["applied"] is False
    assert "nothing was changed" in body["message"] and "rien n’a été modifié" in body["message_fr"]
    found = [(entry["row"], entry["reason"], entry["field"]) for entry in body["refused"]]
    expected = [(line, reason, field) for line, (_row, reason, field) in enumerate(BAD_ROWS, start=2)] + [
        (9, "barcode_taken", "barcodes"),
        (11, "duplicate_barcode", "barcodes"),
        (13, "duplicate_code", "code"),
    ]
    assert found == expected
    assert body["refused_count"] == len(expected)
    taken_entry = next(entry for entry in body["refused"] if entry["reason"] == "barcode_taken")
    assert "BOUL001" in taken_entry["message"] and "BOUL001" in taken_entry["message_fr"]
    assert "row 10" in body["refused"][-2]["message"]
    # Nothing changed: not the good rows either, and the boxes' version stands.
    assert _catalogue(ho_app) == before
    assert ho_api.get(SNAPSHOT, headers={"If-None-Match": f'"{version}"'}).status_code == 304


def test_a_csv_in_the_wrong_encoding_is_refused_with_its_line(ho_api, ho_app):
    before = _catalogue(ho_app)
    data = "code;name;price\nBOUL001;Baguette;1,30\nNEW030;Pâté de campagne;4,20\n".encode("cp1252")

    response = _post(ho_api, data)

    assert response.status_code == 400
    assert response.json["error"] == "invalid_encoding"
    assert "line 3" in response.json["message"] and "UTF-8" in response.json["message"]
    assert "ligne 3" in response.json["message_fr"]
    assert _catalogue(ho_app) == before


@pytest.mark.parametrize(
    ("body", "content_type", "error"),
    [
        ("nom;prix\nX;1\n", "text/csv", "invalid_header"),
        ("code;price;price_cents\nX;1;100\n", "text/csv", "invalid_header"),
        ("code;name\n", "text/csv", "empty_file"),
        ("{not json", "application/json", "invalid_json"),
        ('{"items": []}', "application/json", "invalid_json"),
    ],
)
def test_a_file_that_cannot_be_read_is_400(body, content_type, error, ho_api, ho_app):
    before = _catalogue(ho_app)

    response = _post(ho_api, body, content_type, request_valid=None)

    assert response.status_code == 400
    assert response.json["error"] == error
    assert response.json["message"] and response.json["message_fr"]
    assert _catalogue(ho_app) == before


def test_other_media_types_shops_and_tokens_are_refused(ho_api):
    assert _post(ho_api, "code\nX\n", "text/plain", request_valid=None).status_code == 415
    missing = ho_api.call(
        "POST",
        "/api/v1/shops/NOPE/catalog",
        token="headoffice",
        data=b"code\nX\n",
        headers={"Content-Type": "text/csv"},
    )
    assert missing.status_code == 404 and missing.json["error"] == "shop_not_found"
    boxed = ho_api.call(
        "POST",
        CATALOG,
        token="box",
        data=b"code\nX\n",
        headers={"Content-Type": "text/csv"},
        request_valid=None,
    )
    assert boxed.status_code == 401


def test_the_console_imports_a_file_and_reports_refusals(ho_runner, ho_app, tmp_path):
    good = tmp_path / "catalogue.json"
    good.write_text(json.dumps([{"code": "PRES001", "price_cents": 330}]), encoding="utf-8")
    result = ho_runner.invoke(args=["import-catalog", "BOUTIQUE01", str(good)])
    assert result.exit_code == 0, result.output
    assert "0 created, 1 updated" in result.output
    assert _catalogue(ho_app)["PRES001"][1] == 330

    bad = tmp_path / "catalogue.csv"
    bad.write_text("code;price\nPRES001;-3,00\n", encoding="utf-8")
    result = ho_runner.invoke(args=["import-catalog", "BOUTIQUE01", str(bad)])
    assert result.exit_code == 1
    assert "row 2 (PRES001)" in result.output and "négatif" in result.output
    assert "nothing was changed" in result.output
    assert _catalogue(ho_app)["PRES001"][1] == 330


def test_a_hundred_thousand_products_in_one_file(ho_api, ho_app, ho_count):
    rows = [
        f"BULK{n:06d};Produit {n};BAZA;TVA20;{n % 5000},{n % 100:02d};{ean13(f'37700{n:07d}')}"
        for n in range(100_000)
    ]
    csv = "code;name;category_code;vat_code;price;barcodes\n" + "\n".join(rows) + "\n"

    response = _post(ho_api, csv)

    assert response.status_code == 200, response.json
    assert response.json["created"] == 100_000 and response.json["barcodes_added"] == 100_000
    assert ho_count(Product, Product.code.like("BULK%")) == 100_000
    with ho_app.app_context():
        assert db.session.scalar(
            select(func.sum(Product.price_cents)).where(Product.code.like("BULK%"))
        ) == sum((n % 5000) * 100 + n % 100 for n in range(100_000))


FIELDS = ("code", "name", "category_code", "vat_code", "price", "price_cents", "unit", "active", "barcodes")
hostile_values = st.one_of(
    hostile_text(),
    st.sampled_from(HOSTILE_CLASSES),
    st.integers(min_value=-(10**30), max_value=10**30),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.none(),
    st.lists(hostile_text(), max_size=3),
)


@settings(max_examples=40, suppress_health_check=[HealthCheck.function_scoped_fixture], deadline=None)
@given(data=st.data())
def test_generated_files_are_applied_or_refused_never_a_5xx(ho_app, data):
    ho_app.config["PROPAGATE_EXCEPTIONS"] = False  # a crash answers 500, as in production
    client = ho_app.test_client()
    before = _catalogue(ho_app)
    rows = data.draw(
        st.lists(
            st.dictionaries(st.sampled_from(FIELDS), hostile_values, max_size=5), min_size=1, max_size=3
        ),
        label="rows",
    )
    as_csv = data.draw(st.booleans(), label="csv")
    if as_csv:
        columns = ["code"] + sorted({key for row in rows for key in row} - {"code", "price"})
        body = (
            ";".join(columns)
            + "\n"
            + "\n".join(";".join(str(row.get(c, "")) for c in columns) for row in rows)
        )
        content_type = "text/csv"
    else:
        body, content_type = json.dumps(rows, allow_nan=True), "application/json"

    response = client.post(
        CATALOG,
        data=body.encode("utf-8", "surrogatepass"),
        headers={"Authorization": "Bearer demo-headoffice-token", "Content-Type": content_type},
    )

    assert response.status_code in (200, 400, 422), response.get_data()[:300]
    if response.status_code != 200:
        assert _catalogue(ho_app) == before  # refused: nothing changed


def test_a_report_lists_the_first_thousand_refusals_and_counts_them_all(ho_api, ho_app):
    before = _catalogue(ho_app)
    items = [
        {
            "code": f"NEG{n:05d}",
            "name": "Produit",
            "category_code": "BAZA",
            "vat_code": "TVA20",
            "price_cents": -n - 1,
        }
        for n in range(1200)
    ]
    items.append(
        {
            "code": "NEG00000",
            "name": "Le même",
            "category_code": "BAZA",
            "vat_code": "TVA20",
            "price_cents": 1,
        }
    )

    response = _post(ho_api, json.dumps(items), "application/json", request_valid=None)

    assert response.status_code == 422
    assert response.json["refused_count"] == 1201 and len(response.json["refused"]) == 1000
    assert {entry["reason"] for entry in response.json["refused"]} == {"negative_price"}
    assert "1201 row(s) refused" in response.json["message"]
    assert _catalogue(ho_app) == before
