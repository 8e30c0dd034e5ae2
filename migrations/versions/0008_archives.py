"""Archives of closed periods: what each holds, chain by chain, so a purge removes only what
an archive already keeps

Revision ID: 0008_archives
Revises: 0006_signed_chains
Create Date: 2026-11-27 17:30:00

"""
from alembic import op
import sqlalchemy as sa


revision = '0008_archives'
down_revision = '0006_signed_chains'
branch_labels = None
depends_on = None


def upgrade():
    op.create_table(
        'archive',
        sa.Column('id', sa.Integer(), nullable=False),
        sa.Column('register_code', sa.String(length=32), nullable=False),
        sa.Column('period_from', sa.Date(), nullable=False),
        sa.Column('period_to', sa.Date(), nullable=False),
        sa.Column('created_at', sa.DateTime(), nullable=False),
        sa.Column('file_name', sa.String(length=200), nullable=False),
        sa.Column('sha256', sa.String(length=64), nullable=False),
        sa.Column('key_id', sa.String(length=16), nullable=False),
        sa.Column('ranges', sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint('id', name=op.f('pk_archive')),
    )


def downgrade():
    op.drop_table('archive')
