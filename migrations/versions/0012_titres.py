"""Titres-service: the method flag, the issuers' numbering schemes, the numbers head office
knows were used, and the issuer kept on a payment made with one

Revision ID: 0012_titres
Revises: 0009_periods
Create Date: 2026-11-27 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0012_titres"
down_revision = "0013_schedule"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "payment_method",
        sa.Column("is_titre_service", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    # A plain ADD COLUMN: batch mode would copy the payment table, and the triggers that
    # keep finished tickets unchanged (0002) would refuse the copy.
    op.add_column("payment", sa.Column("titre_service_issuer", sa.String(length=32), nullable=True))
    op.create_table(
        "titre_service_issuer",
        sa.Column("code", sa.String(length=32), nullable=False),
        sa.Column("method_code", sa.String(length=32), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mask", sa.String(length=32), nullable=False),
        sa.Column("grace_days", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_titre_service_issuer")),
    )
    op.create_table(
        "titre_service_used",
        sa.Column("number", sa.String(length=32), nullable=False),
        sa.Column("issuer_code", sa.String(length=32), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=True),
        sa.Column("used_at", sa.DateTime(), nullable=True),
        sa.Column("valid_until", sa.Date(), nullable=False),
        sa.PrimaryKeyConstraint("number", name=op.f("pk_titre_service_used")),
    )


def downgrade():
    op.drop_table("titre_service_used")
    op.drop_table("titre_service_issuer")
    op.execute("ALTER TABLE payment DROP COLUMN titre_service_issuer")
    op.execute("ALTER TABLE payment_method DROP COLUMN is_titre_service")
