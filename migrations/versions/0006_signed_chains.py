"""Signed chains (NF525): signed records, where chains continue from, the register's keys;
triggers that refuse any change to a signed record and any deletion an archive does not cover

Revision ID: 0006_signed_chains
Revises: 0005_lockouts
Create Date: 2026-11-27 17:00:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0006_signed_chains"
down_revision = "0005_lockouts"
branch_labels = None
depends_on = None

TRIGGERS = {
    "signed_record_no_update": "BEFORE UPDATE ON signed_record BEGIN "
    "SELECT RAISE(ABORT, 'a signed record cannot change'); END",
    # A purge removes only what an archive holds: the archive's last number is the chain's
    # start (chain_start, source 'archive') before the rows go.
    "signed_record_no_delete": "BEFORE DELETE ON signed_record WHEN NOT EXISTS ("
    "SELECT 1 FROM chain_start s WHERE s.register_code = OLD.register_code"
    " AND s.chain = OLD.chain AND s.source = 'archive' AND s.number >= OLD.number)"
    " BEGIN SELECT RAISE(ABORT, 'a signed record cannot be deleted'); END",
}


def upgrade():
    op.create_table(
        "signed_record",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("chain", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=24), nullable=False),
        sa.Column("subject_uuid", sa.String(length=36), nullable=True),
        sa.Column("at", sa.String(length=27), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("payload", sa.Text(), nullable=False),
        sa.Column("signature", sa.String(length=120), nullable=False),
        sa.Column("previous", sa.String(length=120), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_signed_record")),
        sa.UniqueConstraint("register_code", "chain", "number", name="uq_signed_record_number"),
    )
    op.create_index("ix_signed_record_subject", "signed_record", ["subject_uuid"])
    op.create_table(
        "chain_start",
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("chain", sa.String(length=10), nullable=False),
        sa.Column("number", sa.Integer(), nullable=False),
        sa.Column("signature", sa.String(length=120), nullable=False),
        sa.Column("perpetual_cents", sa.BigInteger(), nullable=False),
        sa.Column("perpetual_abs_cents", sa.BigInteger(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("register_code", "chain", name=op.f("pk_chain_start")),
    )
    op.create_table(
        "signing_key",
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("public_pem", sa.Text(), nullable=False),
        sa.Column("source", sa.String(length=12), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.PrimaryKeyConstraint("key_id", name=op.f("pk_signing_key")),
    )
    if op.get_bind().dialect.name == "sqlite":
        for name, body in TRIGGERS.items():
            op.execute(f"CREATE TRIGGER {name} {body}")


def downgrade():
    if op.get_bind().dialect.name == "sqlite":
        for name in TRIGGERS:
            op.execute(f"DROP TRIGGER IF EXISTS {name}")
    op.drop_table("signing_key")
    op.drop_table("chain_start")
    op.drop_index("ix_signed_record_subject", table_name="signed_record")
    op.drop_table("signed_record")
