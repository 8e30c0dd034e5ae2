"""Period totals, copies, cash documents and events join the signed chains: the shop's fiscal
year end (from head office), and triggers that refuse any change to a cash document once
written (its signed record says what it was)

Revision ID: 0009_periods
Revises: 0006_signed_chains
Create Date: 2026-11-27 17:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0009_periods"
down_revision = "0007_anchor"
branch_labels = None
depends_on = None

# A cash movement, a count and its grid are written once, signed in the same transaction,
# and never changed or removed afterwards.
CASH_TABLES = ("cash_movement", "cash_count", "cash_count_line")


def _triggers():
    for table in CASH_TABLES:
        yield f"{table}_no_update", f"BEFORE UPDATE ON {table}"
        yield f"{table}_no_delete", f"BEFORE DELETE ON {table}"


def upgrade():
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.add_column(
            sa.Column("fiscal_year_end", sa.String(length=5), server_default="12-31", nullable=False)
        )
    if op.get_bind().dialect.name == "sqlite":
        for name, when in _triggers():
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN "
                f"SELECT RAISE(ABORT, 'a cash document cannot change'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, _when in _triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("shop", schema=None) as batch_op:
        batch_op.drop_column("fiscal_year_end")
