"""A 304 is answered from the stored version without reading the products; every change of
the catalogue (bump_catalog_version) makes the next import carry it."""

from contextlib import contextmanager

from sqlalchemy import event, update

from headoffice.catalog_version import bump_catalog_version
from headoffice.extensions import db
from headoffice.models import Product, Staff

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


@contextmanager
def catalogue_reads(ho_app):
    """The SQL statements that read products or barcodes while the block runs."""
    seen: list[str] = []

    def listen(_conn, _cursor, statement, *_args):
        text = statement.lower()
        if "from product" in text or "from barcode" in text or "join product" in text:
            seen.append(statement)

    with ho_app.app_context():
        engine = db.engine
    event.listen(engine, "before_cursor_execute", listen)
    try:
        yield seen
    finally:
        event.remove(engine, "before_cursor_execute", listen)


def _conditional(ho_api, version):
    return ho_api.get(SNAPSHOT, headers={"If-None-Match": f'"{version}"'})


def test_a_304_is_answered_without_reading_the_products(ho_api, ho_app):
    with catalogue_reads(ho_app) as reads:
        version = ho_api.get(SNAPSHOT).json["version"]
    assert reads, "the listener sees the products a 200 reads"

    with catalogue_reads(ho_app) as reads:
        again = _conditional(ho_api, version)

    assert again.status_code == 304
    assert again.headers["ETag"] == f'"{version}"'
    assert reads == []


def test_a_price_changed_with_a_bump_reaches_the_next_import(ho_api, ho_app):
    version = ho_api.get(SNAPSHOT).json["version"]
    with ho_app.app_context():
        db.session.execute(update(Product).where(Product.code == "BOUL001").values(price_cents=999))
        bump_catalog_version(db.session)
        db.session.commit()

    changed = _conditional(ho_api, version)

    assert changed.status_code == 200
    assert changed.json["version"] != version
    assert {p["code"]: p["price_cents"] for p in changed.json["products"]}["BOUL001"] == 999
    # And the new version is answered 304 in turn, from the stored version.
    with catalogue_reads(ho_app) as reads:
        assert _conditional(ho_api, changed.json["version"]).status_code == 304
    assert reads == []


def test_a_bump_without_a_change_costs_a_rebuild_not_a_download(ho_api, ho_app):
    version = ho_api.get(SNAPSHOT).json["version"]
    with ho_app.app_context():
        bump_catalog_version(db.session)
        db.session.commit()

    with catalogue_reads(ho_app) as reads:
        again = _conditional(ho_api, version)

    assert again.status_code == 304  # the version hashes the content, which is the same
    assert reads  # rebuilt once to know it
    with catalogue_reads(ho_app) as reads:
        assert _conditional(ho_api, version).status_code == 304
    assert reads == []


def test_the_rest_of_the_snapshot_is_seen_without_a_bump(ho_api, ho_app):
    version = ho_api.get(SNAPSHOT).json["version"]
    with ho_app.app_context():  # staff, VAT, methods, categories… are hashed on every request
        db.session.execute(update(Staff).where(Staff.code == "VEND02").values(name="Vendeuse Deux"))
        db.session.commit()

    changed = _conditional(ho_api, version)

    assert changed.status_code == 200
    assert {s["code"]: s["name"] for s in changed.json["staff"]}["VEND02"] == "Vendeuse Deux"


def test_create_product_from_the_console_reaches_the_next_import(ho_api, ho_runner):
    version = ho_api.get(SNAPSHOT).json["version"]
    result = ho_runner.invoke(
        args=[
            "create-product",
            "BOUTIQUE01",
            "NEW001",
            "Nouveau produit",
            "--price",
            "3,20",
            "--vat",
            "TVA20",
            "--category",
            "BAZA",
        ]
    )
    assert result.exit_code == 0, result.output

    changed = _conditional(ho_api, version)

    assert changed.status_code == 200
    assert "NEW001" in {p["code"] for p in changed.json["products"]}


def test_each_register_keeps_its_own_version(ho_api, ho_app):
    one = ho_api.get(SNAPSHOT).json["version"]
    two = ho_api.get("/api/v1/registers/CAISSE02/snapshot").json["version"]

    with catalogue_reads(ho_app) as reads:
        assert _conditional(ho_api, one).status_code == 304
        assert (
            ho_api.get(
                "/api/v1/registers/CAISSE02/snapshot", headers={"If-None-Match": f'"{two}"'}
            ).status_code
            == 304
        )
        # A version of the other register is not this one's.
        assert _conditional(ho_api, two).status_code == 200
    assert len(reads) == 2  # only the 200 read products and barcodes
