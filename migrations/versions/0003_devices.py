"""Peripherals: crash recovery columns on print_job, the device status row written by the
printer worker, the virtual printer's outputs

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23 12:08:39.722954

"""

import sqlalchemy as sa
from alembic import op

# revision identifiers, used by Alembic.
revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        "device_status",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=20), nullable=False),
        sa.Column("detail", sa.String(length=400), nullable=True),
        sa.Column("printer_kind", sa.String(length=16), nullable=False),
        sa.Column("checked_at", sa.DateTime(), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(), nullable=False),
        sa.Column("worker_pid", sa.Integer(), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_device_status")),
    )
    op.create_table(
        "virtual_print",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("job_uuid", sa.String(length=36), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("data", sa.LargeBinary(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_virtual_print")),
    )
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.add_column(sa.Column("started_at", sa.DateTime(), nullable=True))
        batch_op.add_column(sa.Column("interrupted", sa.Boolean(), nullable=False, server_default=sa.false()))
        batch_op.create_index("ix_print_job_document_uuid", ["document_uuid"], unique=False)


def downgrade():
    with op.batch_alter_table("print_job", schema=None) as batch_op:
        batch_op.drop_index("ix_print_job_document_uuid")
        batch_op.drop_column("interrupted")
        batch_op.drop_column("started_at")

    op.drop_table("virtual_print")
    op.drop_table("device_status")
