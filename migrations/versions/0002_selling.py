"""Selling: discounts, line units, and finished tickets locked by triggers

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23 12:20:00

A finished or cancelled ticket is a fiscal document: the triggers make SQLite refuse any
change to it or to its lines, payments and VAT totals, whatever code tries. A later batch
migration that rebuilds one of these tables must create its triggers again.
"""

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

FINAL = "('finished', 'cancelled')"
CHILDREN = ("ticket_line", "payment", "ticket_tax")


def _triggers():
    yield ("ticket_final_no_update", f"BEFORE UPDATE ON ticket WHEN OLD.status IN {FINAL}")
    yield ("ticket_final_no_delete", f"BEFORE DELETE ON ticket WHEN OLD.status IN {FINAL}")
    for table in CHILDREN:
        parent = "(SELECT status FROM ticket WHERE id = {}.ticket_id)"
        yield (f"{table}_final_no_insert", f"BEFORE INSERT ON {table} WHEN {parent.format('NEW')} IN {FINAL}")
        yield (f"{table}_final_no_update", f"BEFORE UPDATE ON {table} WHEN {parent.format('OLD')} IN {FINAL}")
        yield (f"{table}_final_no_delete", f"BEFORE DELETE ON {table} WHEN {parent.format('OLD')} IN {FINAL}")


def upgrade():
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.add_column(sa.Column("discount_percent_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("discount_allowed_by_code", sa.String(length=32), nullable=True))
    with op.batch_alter_table("ticket_line", schema=None) as batch_op:
        batch_op.add_column(sa.Column("unit", sa.String(length=8), server_default="unit", nullable=False))
        batch_op.add_column(sa.Column("discount_percent_bp", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("discount_allowed_by_code", sa.String(length=32), nullable=True))
    if op.get_bind().dialect.name == "sqlite":
        for name, when in _triggers():
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN "
                f"SELECT RAISE(ABORT, 'a finished ticket cannot change'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, _when in _triggers():
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    with op.batch_alter_table("ticket_line", schema=None) as batch_op:
        batch_op.drop_column("discount_allowed_by_code")
        batch_op.drop_column("discount_percent_bp")
        batch_op.drop_column("unit")
    with op.batch_alter_table("ticket", schema=None) as batch_op:
        batch_op.drop_column("discount_allowed_by_code")
        batch_op.drop_column("discount_percent_bp")
