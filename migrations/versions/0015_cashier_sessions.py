"""Cashier sessions (« Travail par session »): the shop's setting, the sessions and their
lines, and the session a ticket or a cash document belongs to

Revision ID: 0015_cashier_sessions
Revises: 0011_cash_documents
Create Date: 2026-11-27 19:30:00

Plain CREATE TABLE and ADD COLUMN statements (nullable references), no table copy: the
ticket table keeps its triggers.
"""

import sqlalchemy as sa
from alembic import op

revision = "0015_cashier_sessions"
down_revision = "0016_safe"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column(
        "shop", sa.Column("cashier_sessions", sa.Boolean(), nullable=False, server_default=sa.false())
    )
    op.create_table(
        "cashier_session",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("uuid", sa.String(36), nullable=False),
        sa.Column("register_code", sa.String(32), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("day_id", sa.Integer(), nullable=False),
        sa.Column("staff_code", sa.String(32), nullable=False),
        sa.Column("staff_name", sa.String(120), nullable=False),
        sa.Column("status", sa.String(8), nullable=False),
        sa.Column("currency", sa.String(3), nullable=False),
        sa.Column("opened_at", sa.DateTime(), nullable=False),
        sa.Column("initial_cents", sa.BigInteger(), nullable=False),
        sa.Column("deposit_cents", sa.BigInteger(), nullable=False),
        sa.Column("closed_at", sa.DateTime(), nullable=True),
        sa.Column("closed_by_code", sa.String(32), nullable=True),
        sa.Column("closed_by_name", sa.String(120), nullable=True),
        sa.CheckConstraint("status in ('open', 'closed')", name="ck_cashier_session_status_known"),
        sa.ForeignKeyConstraint(
            ["day_id"], ["register_day.id"], name="fk_cashier_session_day_id_register_day"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_cashier_session"),
        sa.UniqueConstraint("register_code", "number", name="uq_cashier_session_number"),
        sa.UniqueConstraint("uuid", name="uq_cashier_session_uuid"),
    )
    op.create_index("ix_cashier_session_day_id", "cashier_session", ["day_id"])
    op.create_index(
        "uq_cashier_session_one_open",
        "cashier_session",
        ["register_code", "staff_code"],
        unique=True,
        sqlite_where=sa.text("status = 'open'"),
        postgresql_where=sa.text("status = 'open'"),
    )
    op.create_table(
        "cashier_session_line",
        sa.Column("session_id", sa.Integer(), nullable=False),
        sa.Column("method_code", sa.String(32), nullable=False),
        sa.Column("method_name", sa.String(60), nullable=False),
        sa.Column("initial_cents", sa.BigInteger(), nullable=False),
        sa.Column("payments_cents", sa.BigInteger(), nullable=False),
        sa.Column("final_cents", sa.BigInteger(), nullable=False),
        sa.Column("real_cents", sa.BigInteger(), nullable=False),
        sa.Column("withdrawal_cents", sa.BigInteger(), nullable=False),
        sa.Column("remaining_cents", sa.BigInteger(), nullable=False),
        sa.ForeignKeyConstraint(
            ["session_id"], ["cashier_session.id"], name="fk_cashier_session_line_session_id_cashier_session"
        ),
        sa.PrimaryKeyConstraint("session_id", "method_code", name="pk_cashier_session_line"),
    )
    for table in ("ticket", "cash_movement"):
        # Written out: Alembic would add the reference as a separate ALTER, which SQLite has
        # not; a nullable column with a REFERENCES clause is a plain ADD COLUMN.
        op.execute(
            f"ALTER TABLE {table} ADD COLUMN cashier_session_id INTEGER"
            f" CONSTRAINT fk_{table}_cashier_session_id_cashier_session REFERENCES cashier_session (id)"
        )
        op.create_index(f"ix_{table}_cashier_session_id", table, ["cashier_session_id"])
    _create_triggers()


# A closed session and its lines are written once (their signed record says what they were):
# the open session is updated once, when it is closed.
_TRIGGERS = (
    ("cashier_session_closed_no_update", "BEFORE UPDATE ON cashier_session WHEN OLD.status = 'closed'"),
    ("cashier_session_no_delete", "BEFORE DELETE ON cashier_session"),
    ("cashier_session_line_no_update", "BEFORE UPDATE ON cashier_session_line"),
    ("cashier_session_line_no_delete", "BEFORE DELETE ON cashier_session_line"),
)


def _create_triggers():
    if op.get_bind().dialect.name == "sqlite":
        for name, when in _TRIGGERS:
            op.execute(
                f"CREATE TRIGGER {name} {when} BEGIN SELECT RAISE(ABORT, 'a closed cashier session cannot change'); END"
            )


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name, _when in _TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    for table in ("cash_movement", "ticket"):
        op.drop_index(f"ix_{table}_cashier_session_id", table)
        # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no copy of the tables and their triggers.
        op.execute(f"ALTER TABLE {table} DROP COLUMN cashier_session_id")
    op.drop_table("cashier_session_line")
    op.drop_index("uq_cashier_session_one_open", "cashier_session")
    op.drop_index("ix_cashier_session_day_id", "cashier_session")
    op.drop_table("cashier_session")
    op.execute("ALTER TABLE shop DROP COLUMN cashier_sessions")
