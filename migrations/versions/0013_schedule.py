"""Scheduled work (« Clôture automatique de la journée », the planned import): the hours head
office sets on the register, and one row per due time telling how the scheduler did

Revision ID: 0013_schedule
Revises: 0009_periods
Create Date: 2026-11-27 17:40:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0013_schedule"
down_revision = "0009_periods"
branch_labels = None
depends_on = None


def upgrade():
    # "HH:MM" in the shop's time zone; empty = off (the default).
    op.add_column("register", sa.Column("auto_close_time", sa.String(5), nullable=True))
    op.add_column("register", sa.Column("planned_import_time", sa.String(5), nullable=True))
    op.create_table(
        "scheduled_task",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("due_at", sa.DateTime(), nullable=False),
        sa.Column("register_code", sa.String(32), nullable=False),
        sa.Column("status", sa.String(10), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False, server_default="0"),
        sa.Column("last_error", sa.String(400), nullable=True),
        sa.Column("next_attempt_at", sa.DateTime(), nullable=True),
        sa.Column("owner", sa.String(36), nullable=True),
        sa.Column("started_at", sa.DateTime(), nullable=True),
        sa.Column("finished_at", sa.DateTime(), nullable=True),
        sa.Column("subject_uuid", sa.String(36), nullable=True),
        sa.PrimaryKeyConstraint("id", name="pk_scheduled_task"),
        # One row per job and due time: two scheduler processes cannot both claim it.
        sa.UniqueConstraint("kind", "due_at", name="uq_scheduled_task_kind"),
    )


def downgrade():
    op.drop_table("scheduled_task")
    for column in ("planned_import_time", "auto_close_time"):
        op.execute(f"ALTER TABLE register DROP COLUMN {column}")
