"""Bringing an existing head-office database up to the models (init-db and load-demo).

Head office has no migration tool: create_all adds the tables that are missing, and the
few columns added to existing tables since are added here. Each is looked for first, so
running it again is harmless; the SQL is plain enough for SQLite and PostgreSQL alike.
"""

from sqlalchemy import inspect, text

# (table, column, column DDL) — the NOT NULL needs the DEFAULT to fill the existing rows.
ADDED_COLUMNS = (
    # 1.1.0: credit notes (avoirs).
    ("payment_method", "store_credit", "BOOLEAN NOT NULL DEFAULT false"),
    # 1.2.0: signed period totals need the fiscal year's end.
    ("shop", "fiscal_year_end", "VARCHAR(5) NOT NULL DEFAULT '12-31'"),
    # 1.3.0: signed chains; a register flagged when a batch breaks them.
    ("register", "integrity_flag", "VARCHAR(32)"),
    ("register", "integrity_flagged_at", "TIMESTAMP"),
    ("register", "integrity_detail", "TEXT"),
    # 1.4.0: scheduled work (automatic closing, planned import), off when empty.
    ("register", "auto_close_time", "VARCHAR(5)"),
    ("register", "planned_import_time", "VARCHAR(5)"),
    # 1.4.0: titres-service (their issuers and used numbers are new tables).
    ("payment_method", "is_titre_service", "BOOLEAN NOT NULL DEFAULT false"),
    # Head office's screens: staff can be disabled; (the catalogue version is a counter: headoffice/counters.py).
    ("staff", "active", "BOOLEAN NOT NULL DEFAULT true"),
    # 1.5.0: the shop's safe (its balances are a new table).
    ("shop", "safe_enabled", "BOOLEAN NOT NULL DEFAULT false"),
    ("shop", "safe_limit_cents", "BIGINT"),
    ("shop", "safe_limit_days", "INTEGER"),
    # 1.5.0: cashier sessions (« Travail par session »), off by default.
    ("shop", "cashier_sessions", "BOOLEAN NOT NULL DEFAULT false"),
    # 1.5.0: card methods (the box's Liste des transactions).
    ("payment_method", "is_card", "BOOLEAN NOT NULL DEFAULT false"),
    # 1.5.0: the receipt order of batches, the pull API's cursor (numbered below).
    ("received_batch", "seq", "BIGINT"),
)

# Batches received before 1.5.0 are numbered in the order they were received, after any
# already numbered. UPDATE … FROM: SQLite 3.33+ and PostgreSQL alike.
NUMBER_OLD_BATCHES = """
UPDATE received_batch SET seq = numbered.n + (SELECT COALESCE(MAX(seq), 0) FROM received_batch)
FROM (SELECT batch_id, ROW_NUMBER() OVER (ORDER BY received_at, batch_id) AS n
      FROM received_batch WHERE seq IS NULL) AS numbered
WHERE received_batch.batch_id = numbered.batch_id
"""


def ensure_schema(db) -> list[str]:
    """Create missing tables, add missing columns; return the columns added, "table.column"."""
    db.create_all()
    added = []
    with db.engine.begin() as connection:
        inspector = inspect(connection)
        for table, column, ddl in ADDED_COLUMNS:
            if column not in {found["name"] for found in inspector.get_columns(table)}:
                connection.execute(text(f"ALTER TABLE {table} ADD COLUMN {column} {ddl}"))
                added.append(f"{table}.{column}")
        connection.execute(text(NUMBER_OLD_BATCHES))
        connection.execute(
            text("CREATE UNIQUE INDEX IF NOT EXISTS ix_received_batch_seq ON received_batch (seq)")
        )
    return added
