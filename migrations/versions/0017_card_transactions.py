"""Card transactions (Liste des transactions): the card flag of a payment method, and the
list's own documents — a cancelled card payment or refund, a Remboursement manuel — written
once, with triggers that refuse any change afterwards (their signed record says what they were)

Revision ID: 0017_card_transactions
Revises: 0011_cash_documents
Create Date: 2026-11-27 19:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0017_card_transactions"
down_revision = "0015_cashier_sessions"
branch_labels = None
depends_on = None


def _triggers():
    yield "card_transaction_no_update", "BEFORE UPDATE ON card_transaction"
    yield "card_transaction_no_delete", "BEFORE DELETE ON card_transaction"


def upgrade():
    op.add_column(
        "payment_method", sa.Column("is_card", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "card_transaction",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("status", sa.String(length=16), nullable=False),
        sa.Column("method_code", sa.String(length=32), nullable=False),
        sa.Column("method_name", sa.String(length=60), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("cancels_uuid", sa.String(length=36), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_code", sa.String(length=32), nullable=False),
        sa.Column("created_by_name", sa.String(length=120), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_card_transaction_amount_positive")),
        sa.CheckConstraint(
            "status in ('payment', 'payment_cancel', 'refund', 'refund_cancel')",
            name=op.f("ck_card_transaction_status_known"),
        ),
        sa.ForeignKeyConstraint(
            ["day_id"], ["register_day.id"], name=op.f("fk_card_transaction_day_id_register_day")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_card_transaction")),
        sa.UniqueConstraint("register_code", "number", name="uq_card_transaction_number"),
        sa.UniqueConstraint("uuid", name=op.f("uq_card_transaction_uuid")),
    )
    op.create_index("ix_card_transaction_day_id", "card_transaction", ["day_id"])
    op.create_index("ix_card_transaction_created_at", "card_transaction", ["created_at"])
    op.create_index("uq_card_transaction_cancels", "card_transaction", ["cancels_uuid"], unique=True)
    if op.get_bind().dialect.name == "sqlite":
        for name, when in _triggers():
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN "
                f"SELECT RAISE(ABORT, 'a card transaction document cannot change'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, _when in _triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("card_transaction")
    op.execute("ALTER TABLE payment_method DROP COLUMN is_card")
