"""Cash documents (DC/RC) in full: the payer of a document, the titre-service flag of a
payment method, the list by date

Revision ID: 0011_cash_documents
Revises: 0009_periods
Create Date: 2026-11-27 17:45:00

« Payant » is a customer (a typed name, in the existing `payer`) or an employee (their staff
code beside the name). A titre-service is known by a flag head office sends with the payment
method. The Liste des DC/RC reads a year of documents by date: an index on created_at. Plain
ADD COLUMN and index statements, no table copy.
"""

import sqlalchemy as sa
from alembic import op

revision = "0011_cash_documents"
down_revision = "0012_titres"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("cash_movement", sa.Column("payer_kind", sa.String(8), nullable=True))
    op.add_column("cash_movement", sa.Column("payer_code", sa.String(32), nullable=True))
    op.create_index("ix_cash_movement_created_at", "cash_movement", ["created_at"])


def downgrade():
    op.drop_index("ix_cash_movement_created_at", "cash_movement")
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no copy of the tables.
    for table, column in (
        ("cash_movement", "payer_code"),
        ("cash_movement", "payer_kind"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
