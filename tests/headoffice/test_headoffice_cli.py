"""`flask --app headoffice …`: each command's happy path and its refusals."""

import pytest
from sqlalchemy import select
from werkzeug.security import check_password_hash

from headoffice.auth import hash_token
from headoffice.extensions import db
from headoffice.models import ApiToken, Barcode, Product, Register, Shop, Staff
from headoffice.rights import ALL_RIGHTS


def _ok(runner, *args, input=None):
    result = runner.invoke(args=list(args), input=input)
    assert result.exit_code == 0, result.output
    return result.output


def _refused(runner, *args, words, input=None):
    result = runner.invoke(args=list(args), input=input)
    assert result.exit_code != 0
    assert words in result.output, result.output
    return result.output


def test_init_db_keeps_existing_data(ho_runner, ho_count):
    assert "Database ready" in _ok(ho_runner, "init-db")
    assert ho_count(Product) == 200


def test_load_demo_twice_duplicates_nothing(ho_runner, ho_count):
    output = _ok(ho_runner, "load-demo")

    assert "already exists" in output
    assert "demo-box-token" in output and "demo-headoffice-token" in output
    assert "RESP01" in output and "1234" in output
    assert ho_count(Shop) == 1
    assert ho_count(Register) == 2
    assert ho_count(Staff) == 3
    assert ho_count(Product) == 200
    assert ho_count(ApiToken) == 2


def test_load_demo_adds_tokens_it_is_given(ho_runner, ho_app, ho_count):
    _ok(
        ho_runner,
        "load-demo",
        "--box-token",
        "second-box-token-value",
        "--headoffice-token",
        "second-headoffice-token",
    )

    assert ho_count(ApiToken) == 4
    assert ho_count(Product) == 200


def test_create_shop(ho_runner, ho_app):
    _ok(ho_runner, "create-shop", "LYON01", "Comptoir Lyon", "--timezone", "Europe/Paris")
    with ho_app.app_context():
        shop = db.session.execute(select(Shop).where(Shop.code == "LYON01")).scalar_one()
        assert (shop.name, shop.timezone, shop.currency) == ("Comptoir Lyon", "Europe/Paris", "EUR")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["BOUTIQUE01", "Doublon"], "already exists"),
        (["LYON01", "Lyon", "--timezone", "Mars/Olympus"], "Unknown time zone"),
        (["LYON 01", "Lyon"], "must be 1 to 32"),
        (["LYON01", " "], "name must not be empty"),
    ],
)
def test_create_shop_refusals(args, words, ho_runner, ho_count):
    _refused(ho_runner, "create-shop", *args, words=words)
    assert ho_count(Shop) == 1


def test_create_register(ho_runner, ho_app):
    _ok(
        ho_runner,
        "create-register",
        "BOUTIQUE01",
        "CAISSE03",
        "Caisse 3",
        "--max-float",
        "1 000,00",
        "--blind-count",
        "--max-discount",
        "15",
    )
    with ho_app.app_context():
        register = db.session.execute(select(Register).where(Register.code == "CAISSE03")).scalar_one()
        assert register.max_float_cents == 100_000
        assert register.blind_count is True
        assert register.max_discount_percent == 15


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["NOPE", "CAISSE03", "Caisse 3"], "Unknown shop 'NOPE'"),
        (["BOUTIQUE01", "CAISSE01", "Encore"], "already exists"),
        (["BOUTIQUE01", "CAISSE03", "Caisse 3", "--max-float", "-5"], "must not be negative"),
        (["BOUTIQUE01", "CAISSE03", "Caisse 3", "--max-float", "abc"], "not an amount"),
        (["BOUTIQUE01", "CAISSE03", "Caisse 3", "--max-discount", "150"], "150"),
    ],
)
def test_create_register_refusals(args, words, ho_runner, ho_count):
    _refused(ho_runner, "create-register", *args, words=words)
    assert ho_count(Register) == 2


def test_create_staff_with_a_given_password(ho_runner, ho_app):
    _ok(
        ho_runner,
        "create-staff",
        "BOUTIQUE01",
        "VEND03",
        "Vendeuse3 De Caisse",
        "--rights",
        "sell, import,sell",
        "--password",
        "vend9999",
    )
    with ho_app.app_context():
        staff = db.session.execute(select(Staff).where(Staff.code == "VEND03")).scalar_one()
        assert staff.right_names == ["import", "sell"]
        assert check_password_hash(staff.password_hash, "vend9999")


def test_create_staff_asks_for_the_password_hidden(ho_runner, ho_app):
    output = _ok(
        ho_runner,
        "create-staff",
        "BOUTIQUE01",
        "RESP02",
        "Responsable2",
        "--rights",
        "all",
        input="secret12\nsecret12\n",
    )
    assert "secret12" not in output
    with ho_app.app_context():
        staff = db.session.execute(select(Staff).where(Staff.code == "RESP02")).scalar_one()
        assert len(staff.right_names) == len(ALL_RIGHTS)
        assert check_password_hash(staff.password_hash, "secret12")


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (
            ["BOUTIQUE01", "VEND03", "V3", "--rights", "sell,fly", "--password", "abcd1234"],
            "unknown right(s): fly",
        ),
        (["BOUTIQUE01", "VEND01", "Again", "--rights", "sell", "--password", "abcd1234"], "already exists"),
        (["NOPE", "VEND03", "V3", "--rights", "sell", "--password", "abcd1234"], "Unknown shop"),
        (["BOUTIQUE01", "VEND03", "V3", "--rights", "sell", "--password", "ab"], "at least 4"),
    ],
)
def test_create_staff_refusals(args, words, ho_runner, ho_count):
    _refused(ho_runner, "create-staff", *args, words=words)
    assert ho_count(Staff) == 3


def test_create_product_with_a_barcode(ho_runner, ho_app, ho_api):
    _ok(
        ho_runner,
        "create-product",
        "BOUTIQUE01",
        "EPIC900",
        "Pâté de campagne 180 g",
        "--price",
        "2,50",
        "--vat",
        "TVA55",
        "--category",
        "EPIC",
        "--barcode",
        "3017620422003",
    )
    snapshot = ho_api.get("/api/v1/registers/CAISSE01/snapshot").json
    product = next(p for p in snapshot["products"] if p["code"] == "EPIC900")
    assert product["price_cents"] == 250 and product["unit"] == "unit"
    assert {"code": "3017620422003", "product_code": "EPIC900"} in snapshot["barcodes"]


def test_create_product_sold_by_weight(ho_runner, ho_app):
    _ok(
        ho_runner,
        "create-product",
        "BOUTIQUE01",
        "FRLE900",
        "Clémentines",
        "--price",
        "3.2",
        "--vat",
        "TVA55",
        "--category",
        "FRLE",
        "--unit",
        "kg",
    )
    with ho_app.app_context():
        product = db.session.execute(select(Product).where(Product.code == "FRLE900")).scalar_one()
        assert (product.price_cents, product.unit) == (320, "kg")


def test_a_scale_label_prefix_is_a_barcode_too(ho_runner, ho_app):
    _ok(
        ho_runner,
        "create-product",
        "BOUTIQUE01",
        "FRLE901",
        "Comté à la coupe",
        "--price",
        "24,90",
        "--vat",
        "TVA55",
        "--category",
        "FRLE",
        "--unit",
        "kg",
        "--barcode",
        "2123456",
    )
    with ho_app.app_context():
        assert db.session.execute(select(Barcode.code).where(Barcode.code == "2123456")).scalar_one()


PRODUCT = ["BOUTIQUE01", "EPIC900", "Pâté"]


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (PRODUCT + ["--price", "-1", "--vat", "TVA55", "--category", "EPIC"], "must not be negative"),
        (PRODUCT + ["--price", "2,555", "--vat", "TVA55", "--category", "EPIC"], "two decimals"),
        (PRODUCT + ["--price", "2,50", "--vat", "TVA99", "--category", "EPIC"], "Unknown VAT rate"),
        (PRODUCT + ["--price", "2,50", "--vat", "TVA55", "--category", "NOPE"], "Unknown category"),
        (
            PRODUCT
            + ["--price", "2,50", "--vat", "TVA55", "--category", "EPIC", "--barcode", "3017620422004"],
            "not a valid EAN",
        ),
        (
            PRODUCT + ["--price", "2,50", "--vat", "TVA55", "--category", "EPIC", "--barcode", "37699990000"],
            "not a valid EAN",
        ),
        (
            PRODUCT + ["--price", "2,50", "--vat", "TVA55", "--category", "EPIC", "--barcode", "3123456"],
            "not a valid EAN",
        ),
        (
            PRODUCT
            + ["--price", "2,50", "--vat", "TVA55", "--category", "EPIC", "--barcode", "3769999000015"],
            "already belongs",
        ),
        (
            ["BOUTIQUE01", "BOUL001", "Baguette", "--price", "1", "--vat", "TVA55", "--category", "BOUL"],
            "already exists",
        ),
        (["NOPE", "EPIC900", "Pâté", "--price", "1", "--vat", "TVA55", "--category", "EPIC"], "Unknown shop"),
    ],
)
def test_create_product_refusals(args, words, ho_runner, ho_count):
    _refused(ho_runner, "create-product", *args, words=words)
    assert ho_count(Product) == 200
    assert ho_count(Barcode) == 200


def test_create_token_prints_a_random_token_once(ho_runner, ho_app, ho_api):
    token = _ok(
        ho_runner, "create-token", "--kind", "box", "--shop", "BOUTIQUE01", "--label", "caisse du fond"
    ).strip()

    assert len(token) >= 40
    with ho_app.app_context():
        row = db.session.execute(select(ApiToken).where(ApiToken.label == "caisse du fond")).scalar_one()
        assert row.token_sha256 == hash_token(token)
        assert token not in (row.token_sha256, row.label)
    assert ho_api.get("/api/v1/registers", token=token).status_code == 200


def test_create_token_with_a_given_value(ho_runner, ho_api):
    _ok(ho_runner, "create-token", "--kind", "headoffice", "--token", "a-given-headoffice-token")
    assert ho_api.get("/api/v1/exports", token="a-given-headoffice-token").status_code == 200


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["--kind", "box"], "needs --shop"),
        (["--kind", "box", "--shop", "NOPE"], "Unknown shop"),
        (["--kind", "headoffice", "--shop", "BOUTIQUE01"], "do not give --shop"),
        (["--kind", "root"], "'root'"),
        (["--kind", "box", "--shop", "BOUTIQUE01", "--token", "short"], "at least 12"),
        (["--kind", "box", "--shop", "BOUTIQUE01", "--token", "demo-box-token"], "already exists"),
    ],
)
def test_create_token_refusals(args, words, ho_runner, ho_count):
    _refused(ho_runner, "create-token", *args, words=words)
    assert ho_count(ApiToken) == 2
