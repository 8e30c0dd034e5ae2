"""Counting at opening and closing per method: the opening lines (the balance each method
starts the day with, the opening count, its difference kept apart), the withdrawal and what
remains per method at closing, and the flag of the DC/RC a closing writes for a difference

Revision ID: 0014_counting
Revises: 0011_cash_documents
Create Date: 2026-11-27 19:20:00

Plain CREATE TABLE and ADD COLUMN statements, no table copy.
"""

import sqlalchemy as sa
from alembic import op

revision = "0014_counting"
down_revision = "0017_card_transactions"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "opening_line",
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("method_code", sa.String(32), nullable=False),
        sa.Column("method_name", sa.String(60), nullable=False),
        sa.Column("float_cents", sa.BigInteger(), nullable=False),
        sa.Column("counted_cents", sa.Integer(), nullable=True),
        sa.Column("difference_cents", sa.Integer(), nullable=True),
        sa.Column("difference_reason", sa.String(400), nullable=True),
        sa.ForeignKeyConstraint(["day_id"], ["register_day.id"], name="fk_opening_line_day_id_register_day"),
        sa.PrimaryKeyConstraint("day_id", "method_code", name="pk_opening_line"),
    )
    op.add_column("closing_line", sa.Column("withdrawal_cents", sa.Integer(), nullable=True))
    op.add_column("closing_line", sa.Column("remaining_cents", sa.Integer(), nullable=True))
    op.add_column(
        "cash_movement",
        sa.Column("closing_difference", sa.Boolean(), nullable=False, server_default=sa.false()),
    )


def downgrade():
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no copy of the tables.
    for table, column in (
        ("cash_movement", "closing_difference"),
        ("closing_line", "remaining_cents"),
        ("closing_line", "withdrawal_cents"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
    op.drop_table("opening_line")
