"""Lock-outs that grow: how many times in a row a person was locked out since their last
right code (each lock-out lasts twice the one before)

Revision ID: 0005_lockouts
Revises: 0004
Create Date: 2026-11-27 13:50:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0005_lockouts"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade():
    # A plain ADD COLUMN (no table copy): the people locked out now keep their lock.
    op.add_column("login_failure", sa.Column("lockouts", sa.Integer(), nullable=False, server_default="0"))


def downgrade():
    with op.batch_alter_table("login_failure", schema=None) as batch_op:
        batch_op.drop_column("lockouts")
