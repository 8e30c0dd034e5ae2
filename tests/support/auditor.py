"""Playing the auditor of NF525 tests: the database file edited directly with sqlite3, the
triggers that guard signed rows dropped first (what someone with the file in hand can do)."""

import sqlite3


def edit_database(app, statement, *params):
    path = app.config["SQLALCHEMY_DATABASE_URI"].removeprefix("sqlite:///")
    with sqlite3.connect(path) as connection:
        for (name,) in connection.execute("SELECT name FROM sqlite_master WHERE type = 'trigger'").fetchall():
            connection.execute(f"DROP TRIGGER {name}")
        connection.execute(statement, params)
