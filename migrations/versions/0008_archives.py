"""Archives of closed periods: what each holds, chain by chain, so a purge removes only what
an archive already keeps; a finished ticket may be deleted only once an archive covers its
signed record

Revision ID: 0008_archives
Revises: 0006_signed_chains
Create Date: 2026-11-27 17:30:00

"""

import sqlalchemy as sa
from alembic import op

revision = "0008_archives"
down_revision = "0010_training"
branch_labels = None
depends_on = None


FINAL = "('finished', 'cancelled')"
CHILDREN = ("ticket_line", "payment", "ticket_tax")
RAISE = "BEGIN SELECT RAISE(ABORT, 'a finished ticket cannot change'); END"
# A finished ticket whose signed record is at or below its chain's archive start (set by a
# purge before it deletes: app/services/purging.py) is held by an archive.
COVERED = (
    "EXISTS (SELECT 1 FROM signed_record r JOIN chain_start s ON s.register_code = r.register_code"
    " AND s.chain = r.chain AND s.source = 'archive' AND s.number >= r.number WHERE r.subject_uuid = {})"
)
PARENT = "(SELECT {} FROM ticket WHERE id = OLD.ticket_id)"


def _delete_triggers(archived: bool):
    """0002's triggers refusing to delete a finished ticket and its lines, payments and taxes;
    with `archived`, unless an archive holds the ticket."""
    unless = f" AND NOT {COVERED.format('OLD.uuid')}" if archived else ""
    yield "ticket_final_no_delete", f"BEFORE DELETE ON ticket WHEN OLD.status IN {FINAL}{unless}"
    for table in CHILDREN:
        unless = f" AND NOT {COVERED.format(PARENT.format('uuid'))}" if archived else ""
        yield (
            f"{table}_final_no_delete",
            f"BEFORE DELETE ON {table} WHEN {PARENT.format('status')} IN {FINAL}{unless}",
        )


def _replace(archived: bool):
    if op.get_bind().dialect.name != "sqlite":
        return
    for name, when in _delete_triggers(archived):
        op.execute(f"DROP TRIGGER IF EXISTS {name}")
        op.execute(f"CREATE TRIGGER {name} {when} {RAISE}")


def upgrade():
    op.create_table(
        "archive",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("register_code", sa.String(length=32), nullable=False),
        sa.Column("period_from", sa.Date(), nullable=False),
        sa.Column("period_to", sa.Date(), nullable=False),
        sa.Column("created_at", sa.DateTime(), nullable=False),
        sa.Column("file_name", sa.String(length=200), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("key_id", sa.String(length=16), nullable=False),
        sa.Column("ranges", sa.Text(), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_archive")),
    )
    _replace(archived=True)


def downgrade():
    _replace(archived=False)
    op.drop_table("archive")
