"""The SQLite file as the box tests see it from outside the app: finished tickets, integrity,
checkpoint, and damage done on purpose."""

import os
import sqlite3


def finished_tickets(db_path) -> list[tuple]:
    """(uuid, number, total) of every finished ticket, read with plain sqlite3."""
    connection = sqlite3.connect(db_path)
    try:
        return connection.execute(
            "SELECT uuid, number, total_cents FROM ticket WHERE status = 'finished' ORDER BY number"
        ).fetchall()
    finally:
        connection.close()


def integrity(db_path) -> str:
    connection = sqlite3.connect(db_path)
    try:
        return "; ".join(row[0] for row in connection.execute("PRAGMA integrity_check"))
    except sqlite3.DatabaseError as error:
        return str(error)
    finally:
        connection.close()


def damage(path):
    """What a dying SD card does: pages of garbage in the middle of the file."""
    size = os.path.getsize(path)
    with open(path, "r+b") as f:
        f.seek(4096 * 2)
        f.write(os.urandom(min(4096 * 6, size - 4096 * 2)))


def checkpoint(db_path):
    """Fold the -wal into the database file, as SQLite does on its own every 1000 pages:
    damage to the file is then what a reader meets."""
    connection = sqlite3.connect(db_path)
    try:
        connection.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    finally:
        connection.close()


def damage_table(db_path, table):
    """Garbage over the first page of one table: reading it says "database disk image is
    malformed", the rest of the file reads as before."""
    connection = sqlite3.connect(db_path)
    try:
        page_size = connection.execute("PRAGMA page_size").fetchone()[0]
        [root] = connection.execute("SELECT rootpage FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    finally:
        connection.close()
    with open(db_path, "r+b") as f:
        f.seek((root - 1) * page_size)
        f.write(b"\xff" * page_size)
