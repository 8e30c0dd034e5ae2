"""Credit notes (avoirs): the store-credit flag of payment methods, the last valid day of a
credit note issued by a refund, and the credit notes head office knows of

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-23 10:20:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade():
    with op.batch_alter_table("payment_method", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("store_credit", sa.Boolean(), nullable=False, server_default=sa.false())
        )
    # A plain ADD COLUMN: batch mode would copy the payment table, and the triggers that
    # keep finished tickets unchanged (0002) would refuse the copy.
    op.add_column("payment", sa.Column("expires_on", sa.Date(), nullable=True))
    op.create_index("ix_payment_reference", "payment", ["reference"])
    op.create_table(
        "credit_note",
        sa.Column("code", sa.String(length=13), nullable=False),
        sa.Column("balance_cents", sa.Integer(), nullable=False),
        sa.Column("issued_cents", sa.BigInteger(), nullable=False),
        sa.Column("issued_at", sa.DateTime(), nullable=True),
        sa.Column("expires_on", sa.Date(), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=True),
        sa.Column("after_payment_id", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("code", name=op.f("pk_credit_note")),
    )


def downgrade():
    op.drop_table("credit_note")
    op.drop_index("ix_payment_reference", "payment")
    op.drop_column("payment", "expires_on")
    with op.batch_alter_table("payment_method", schema=None) as batch_op:
        batch_op.drop_column("store_credit")
