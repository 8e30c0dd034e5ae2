"""Training mode (mode école): the box's switch, and training tickets kept apart

Revision ID: 0010_training
Revises: 0006_signed_chains
Create Date: 2026-11-27 16:45:00

Training tickets stay in the ticket table (NF525: training data are cash data too, kept and
signed) with `training` set and their own numbers in `training_number`; `number` stays empty
for them, so the real numbering is neither consumed nor interleaved. Plain ADD COLUMN and
index statements: the ticket table and its triggers (0002) are not copied.
"""

import sqlalchemy as sa
from alembic import op

revision = "0010_training"
down_revision = "0006_signed_chains"
branch_labels = None
depends_on = None


def upgrade():
    op.add_column("box", sa.Column("training_since", sa.DateTime(), nullable=True))
    op.add_column("box", sa.Column("training_by_code", sa.String(32), nullable=True))
    op.add_column("ticket", sa.Column("training", sa.Boolean(), nullable=False, server_default=sa.false()))
    op.add_column("ticket", sa.Column("training_number", sa.Integer(), nullable=True))
    op.create_index("uq_ticket_training_number", "ticket", ["register_code", "training_number"], unique=True)
    # Every reader of a day's figures filters on training too: the index still answers alone.
    op.drop_index("ix_ticket_day_status", "ticket")
    op.create_index("ix_ticket_day_status", "ticket", ["day_id", "status", "training"])


def downgrade():
    op.drop_index("ix_ticket_day_status", "ticket")
    op.create_index("ix_ticket_day_status", "ticket", ["day_id", "status"])
    op.drop_index("uq_ticket_training_number", "ticket")
    # ALTER TABLE … DROP COLUMN (SQLite ≥ 3.35): no copy of the ticket table and its triggers.
    for table, column in (
        ("ticket", "training_number"),
        ("ticket", "training"),
        ("box", "training_by_code"),
        ("box", "training_since"),
    ):
        op.execute(f"ALTER TABLE {table} DROP COLUMN {column}")
