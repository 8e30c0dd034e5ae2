"""Head office as the anchor: what head office acknowledged of each chain, and the integrity
alerts its refusals raise on the box

Revision ID: 0007_anchor
Revises: 0006_signed_chains
Create Date: 2026-11-27 18:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0007_anchor"
down_revision = "0008_archives"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "chain_ack",
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("chain", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=120), nullable=False),
        sa.Column("acknowledged_at", sa.DateTime(), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.PrimaryKeyConstraint("register_code", "chain", name=op.f("pk_chain_ack")),
    )
    op.create_table(
        "integrity_alert",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("reason", sa.String(length=32), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=False),
        sa.Column("batch_id", sa.String(length=36), nullable=True),
        sa.Column("raised_at", sa.DateTime(), nullable=False),
        sa.Column("cleared_at", sa.DateTime(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_integrity_alert")),
    )


def downgrade():
    op.drop_table("integrity_alert")
    op.drop_table("chain_ack")
