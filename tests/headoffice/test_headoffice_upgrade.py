"""`init-db` brings a database made by the previous version (contract 1.0.0) up to date."""

from sqlalchemy import (
    Boolean,
    Column,
    ForeignKey,
    Integer,
    MetaData,
    String,
    Table,
    inspect,
    select,
    text,
)

from headoffice.extensions import db
from headoffice.models import PaymentMethod

SNAPSHOT = "/api/v1/registers/CAISSE01/snapshot"


def _make_it_a_1_0_database(ho_app) -> None:
    """payment_method as 1.0 created it (no store_credit nor is_titre_service, demo methods
    without AV), and no credit_note nor titre-service tables."""
    with ho_app.app_context(), db.engine.begin() as connection:
        rows = [
            dict(row._mapping)
            for row in connection.execute(
                select(
                    PaymentMethod.shop_id,
                    PaymentMethod.code,
                    PaymentMethod.name,
                    PaymentMethod.gives_change,
                    PaymentMethod.counted_in_drawer,
                    PaymentMethod.goes_to_safe,
                    PaymentMethod.counted_as_items,
                    PaymentMethod.position,
                ).where(PaymentMethod.code != "AV")
            )
        ]
        connection.execute(text("DROP TABLE credit_note"))
        connection.execute(text("DROP TABLE titre_service_use"))
        connection.execute(text("DROP TABLE titre_service_issuer"))
        connection.execute(text("DROP TABLE payment_method"))
        old = MetaData()
        Table("shop", old, autoload_with=connection)
        table = Table(
            "payment_method",
            old,
            Column("id", Integer, primary_key=True),
            Column("shop_id", ForeignKey("shop.id"), nullable=False, index=True),
            Column("code", String(32), nullable=False),
            Column("name", String(100), nullable=False),
            *(
                Column(flag, Boolean, nullable=False)
                for flag in ("gives_change", "counted_in_drawer", "goes_to_safe", "counted_as_items")
            ),
            Column("position", Integer, nullable=False),
        )
        table.create(connection)
        connection.execute(table.insert(), rows)
    with ho_app.app_context():
        db.engine.dispose()


def _columns(ho_app, table: str) -> set[str]:
    with ho_app.app_context():
        return {column["name"] for column in inspect(db.engine).get_columns(table)}


def test_init_db_adds_the_store_credit_column_and_the_credit_note_table(ho_app, ho_runner, ho_api):
    _make_it_a_1_0_database(ho_app)
    assert "store_credit" not in _columns(ho_app, "payment_method")

    result = ho_runner.invoke(args=["init-db"])

    assert result.exit_code == 0, result.output
    assert "Column payment_method.store_credit added." in result.output
    assert "store_credit" in _columns(ho_app, "payment_method")
    assert "Column payment_method.is_titre_service added." in result.output
    assert {"mask", "grace_days", "method_id"} <= _columns(ho_app, "titre_service_issuer")
    assert {"number", "valid_until", "ticket_uuid"} <= _columns(ho_app, "titre_service_use")
    assert {"code", "issued_cents", "spent_cents", "issued_at", "expires_on"} <= _columns(
        ho_app, "credit_note"
    )
    snap = ho_api.get(SNAPSHOT).json
    assert [(m["code"], m["store_credit"]) for m in snap["payment_methods"]] == [
        ("ESP", False),
        ("CB", False),
        ("CHQ", False),
        ("TS", False),
    ]
    assert snap["credit_notes"] == []

    again = ho_runner.invoke(args=["init-db"])
    assert again.exit_code == 0 and "added" not in again.output


def test_load_demo_gives_an_existing_demo_the_avoir_method(ho_app, ho_runner, ho_api):
    _make_it_a_1_0_database(ho_app)

    result = ho_runner.invoke(args=["load-demo"])

    assert result.exit_code == 0, result.output
    assert "already exists" in result.output
    assert "Payment method(s) it lacked added: AV." in result.output
    methods = {m["code"]: m for m in ho_api.get(SNAPSHOT).json["payment_methods"]}
    assert list(methods) == ["ESP", "CB", "CHQ", "TS", "AV"]
    assert methods["AV"]["store_credit"] and not methods["TS"]["store_credit"]
