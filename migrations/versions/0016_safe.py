"""The safe (coffre-fort): numbered, signed safe movements with their payer, head office's
safe balances per method, and the shop's safe setting

Revision ID: 0016_safe
Revises: 0011_cash_documents
Create Date: 2026-11-27 19:10:00

The safe_movement table existed since the first data model but nothing wrote it: it is made
again with its number, payer and closing flag (no box holds a row of it). Head office's
balances are replaced at each import (safe_balance); the shop row says whether the safe is on
and its limits.
"""

import sqlalchemy as sa
from alembic import op

revision = "0016_safe"
down_revision = "0011_cash_documents"
branch_labels = None
depends_on = None


def upgrade():
    op.drop_table("safe_movement")
    op.create_table(
        "safe_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("method_code", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("payer_kind", sa.String(length=8), nullable=True),
        sa.Column("payer", sa.String(length=120), nullable=True),
        sa.Column("payer_code", sa.String(length=32), nullable=True),
        sa.Column("cash_movement_uuid", sa.String(length=36), nullable=True),
        sa.Column("at_closing", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_code", sa.String(length=32), nullable=False),
        sa.Column("created_by_name", sa.String(length=120), nullable=False),
        sa.CheckConstraint("amount_cents > 0", name=op.f("ck_safe_movement_amount_positive")),
        sa.CheckConstraint("kind in ('in', 'out')", name=op.f("ck_safe_movement_kind_known")),
        sa.ForeignKeyConstraint(
            ["day_id"], ["register_day.id"], name=op.f("fk_safe_movement_day_id_register_day")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safe_movement")),
        sa.UniqueConstraint("uuid", name=op.f("uq_safe_movement_uuid")),
        sa.UniqueConstraint("register_code", "number", name="uq_safe_movement_number"),
    )
    op.create_index("ix_safe_movement_created_at", "safe_movement", ["created_at"])
    op.create_table(
        "safe_balance",
        sa.Column("method_code", sa.String(length=32), nullable=False),
        sa.Column("operation_count", sa.Integer(), nullable=False),
        sa.Column("deposits_cents", sa.BigInteger(), nullable=False),
        sa.Column("withdrawals_cents", sa.BigInteger(), nullable=False),
        sa.Column("after_movement_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("method_code", name=op.f("pk_safe_balance")),
    )
    op.add_column("shop", sa.Column("safe_enabled", sa.Boolean(), nullable=False, server_default="0"))
    op.add_column("shop", sa.Column("safe_limit_cents", sa.BigInteger(), nullable=True))
    op.add_column("shop", sa.Column("safe_limit_days", sa.Integer(), nullable=True))
    op.add_column("shop", sa.Column("safe_since", sa.DateTime(), nullable=True))


def downgrade():
    for column in ("safe_since", "safe_limit_days", "safe_limit_cents", "safe_enabled"):
        op.execute(f"ALTER TABLE shop DROP COLUMN {column}")
    op.drop_table("safe_balance")
    op.drop_index("ix_safe_movement_created_at", "safe_movement")
    op.drop_table("safe_movement")
    op.create_table(
        "safe_movement",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(length=36), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=True),
        sa.Column("kind", sa.String(length=4), nullable=False),
        sa.Column("method_code", sa.String(length=32), nullable=False),
        sa.Column("amount_cents", sa.BigInteger(), nullable=False),
        sa.Column("item_count", sa.Integer(), nullable=True),
        sa.Column("reason", sa.String(length=400), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("created_by_code", sa.String(length=32), nullable=False),
        sa.ForeignKeyConstraint(
            ["day_id"], ["register_day.id"], name=op.f("fk_safe_movement_day_id_register_day")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_safe_movement")),
        sa.UniqueConstraint("uuid", name=op.f("uq_safe_movement_uuid")),
    )
