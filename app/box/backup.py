"""Backups of the register's database: taken while the till sells, checked, kept, restored.

A backup is `VACUUM INTO` a new file: a consistent snapshot taken inside one read
transaction (in WAL mode the cashier keeps selling meanwhile), compacted, and written as a
single self-contained file (journal mode DELETE, no -wal beside it). SQLite does not fsync
that file, so we do, and a copy only gets its final name once `integrity_check` says ok.

Every process that uses the database holds a shared lock on `<database>.inuse` for as long
as it runs; a restore needs the exclusive lock, so it refuses to swap the file
under a running web, scheduler or printer worker instead of leaving them writing into a
file that is no longer the database.
"""

import fcntl
import os
import re
import shlex
import shutil
import sqlite3
import subprocess
import weakref
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime, timezone
from pathlib import Path

from sqlalchemy import event

PREFIX = "comptoir-"
LABELS = ("manual", "nightly", "pre-upgrade")
_NAME = re.compile(r"^comptoir-(\d{8}T\d{6}Z)-([a-z-]+?)(?:-(\d+))?\.sqlite$")
_STAMP = "%Y%m%dT%H%M%SZ"


class BackupError(Exception):
    """A backup or restore that did not happen; the message says what to do."""


class DatabaseInUse(BackupError):
    pass


@dataclass(frozen=True)
class BackupFile:
    path: Path
    created_at: datetime
    label: str

    @property
    def name(self) -> str:
        return self.path.name

    @property
    def size(self) -> int:
        return self.path.stat().st_size


@dataclass(frozen=True)
class RestoreResult:
    restored_from: Path
    replaced_as: Path | None


# ── the in-use lock ─────────────────────────────────────────────────────────────────────


def _lock_path(db_path) -> str:
    return f"{db_path}.inuse"


def _open_lock(db_path):
    return open(_lock_path(db_path), "a+b")  # noqa: SIM115 — closed by the caller


def track_database_use(engine) -> None:
    """The process holds a shared lock on `<database>.inuse` from the moment it sets up its
    engine — before any connection, whether or not SQLite can read the file — until it
    ends (or `release_database_use`). Taking it per connection missed two processes: one
    that had not connected yet, and one whose connection failed halfway (a damaged file
    makes the pragmas fail after sqlite3 has opened it): a web worker showing the damaged
    page held no lock, so a restore swapped the file under it."""
    path = engine.url.database
    if (
        engine.dialect.name != "sqlite"
        or not path
        or path == ":memory:"
        or getattr(engine, "_comptoir_tracked", False)
    ):
        return
    engine._comptoir_tracked = True
    engine._comptoir_inuse = None
    _hold(engine)

    @event.listens_for(engine, "do_connect")
    def _before_opening(_dialect, _record, _cargs, _cparams):
        _hold(engine)  # again after a release (the restore command journals afterwards)


def _hold(engine) -> None:
    if engine._comptoir_inuse is not None:
        return
    try:
        fd = os.open(_lock_path(engine.url.database), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    except OSError:
        return  # no such folder: no database to protect yet (tried again at each connect)
    fcntl.flock(fd, fcntl.LOCK_SH)
    # Closed with the engine if it is ever collected; otherwise at the process's exit.
    engine._comptoir_inuse = weakref.finalize(engine, os.close, fd)


def release_database_use(engine) -> None:
    """Before this very process restores the file: its own pool closed, its lock let go."""
    engine.dispose()
    held = getattr(engine, "_comptoir_inuse", None)
    if held is not None:
        engine._comptoir_inuse = None
        held()


@contextmanager
def _shared_use(db_path):
    lock = _open_lock(db_path)
    try:
        fcntl.flock(lock, fcntl.LOCK_SH)
        yield
    finally:
        lock.close()


@contextmanager
def exclusive_use(db_path):
    lock = _open_lock(db_path)
    try:
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise DatabaseInUse(
                "la base est ouverte par un autre processus (service web, planificateur ou "
                "imprimante) : arrêtez-les d'abord avec "
                "« systemctl stop comptoir-web comptoir-scheduler comptoir-devices »."
            ) from None
        yield
    finally:
        lock.close()


# ── checking ────────────────────────────────────────────────────────────────────────────


def integrity_problem(path, *, quick: bool = False) -> str | None:
    """None when SQLite finds the file sound, else what it found (first lines)."""
    pragma = "quick_check" if quick else "integrity_check"
    try:
        connection = sqlite3.connect(f"file:{path}?mode=ro", uri=True, isolation_level=None)
    except sqlite3.Error as error:
        return str(error)
    try:
        rows = [row[0] for row in connection.execute(f"PRAGMA {pragma}").fetchmany(5)]
    except sqlite3.Error as error:
        return str(error)
    finally:
        connection.close()
    return None if rows == ["ok"] else "; ".join(rows)


def _fsync_file(path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path) -> None:
    _fsync_file(path)  # a rename is durable only once its directory is synced


def _settle(path, like) -> None:
    """Backups hold password hashes: not world-readable. Run as root (a technician's
    shell), a new file takes the instance folder's owner, or the service could not use it."""
    os.chmod(path, 0o640)
    if os.geteuid() == 0:
        owner = os.stat(like)
        os.chown(path, owner.st_uid, owner.st_gid)


# ── creating, listing, pruning ──────────────────────────────────────────────────────────


def _new_name(directory: Path, label: str, now: datetime) -> Path:
    stem = f"{PREFIX}{now.astimezone(timezone.utc).strftime(_STAMP)}-{label}"
    candidate, n = directory / f"{stem}.sqlite", 1
    while candidate.exists():
        n += 1
        candidate = directory / f"{stem}-{n}.sqlite"
    return candidate


def create_backup(db_path, directory, *, label: str = "manual", now=None) -> BackupFile:
    if label not in LABELS:
        raise BackupError(f"étiquette inconnue « {label} » (attendu : {', '.join(LABELS)})")
    db_path, directory = Path(db_path), Path(directory)
    if not db_path.exists():
        raise BackupError(f"pas de base à sauvegarder : {db_path} n'existe pas.")
    directory.mkdir(parents=True, exist_ok=True)
    now = now or datetime.now(timezone.utc)
    target = _new_name(directory, label, now)
    partial = target.with_name(target.name + ".partial")
    partial.unlink(missing_ok=True)
    try:
        with _shared_use(db_path):
            connection = sqlite3.connect(db_path, isolation_level=None, timeout=30)
            try:
                connection.execute("VACUUM INTO ?", (str(partial),))
            finally:
                connection.close()
        problem = integrity_problem(partial)
        if problem:
            raise BackupError(
                f"la copie n'est pas saine ({problem}) : la base est peut-être "
                "endommagée ; gardez les sauvegardes précédentes."
            )
        _settle(partial, db_path.parent)
        _fsync_file(partial)
        os.replace(partial, target)
        _fsync_dir(directory)
    except sqlite3.Error as error:
        raise BackupError(f"sauvegarde impossible : {error}") from error
    finally:
        partial.unlink(missing_ok=True)
    return BackupFile(target, now.astimezone(timezone.utc).replace(microsecond=0), label)


def list_backups(directory) -> list[BackupFile]:
    """Oldest first."""
    directory = Path(directory)
    if not directory.is_dir():
        return []
    found = []
    for path in directory.iterdir():
        match = _NAME.match(path.name)
        if match and path.is_file():
            created = datetime.strptime(match[1], _STAMP).replace(tzinfo=timezone.utc)
            found.append(BackupFile(path, created, match[2]))
    return sorted(found, key=lambda b: (b.created_at, int(_NAME.match(b.name)[3] or 1)))


def prune_backups(directory, *, keep_nightly: int, keep_other: int) -> list[BackupFile]:
    """Keep the newest `keep_nightly` nightly backups and `keep_other` of each other label."""
    removed = []
    for label in LABELS:
        keep = keep_nightly if label == "nightly" else keep_other
        of_label = [b for b in list_backups(directory) if b.label == label]
        for backup in of_label[: max(0, len(of_label) - keep)]:
            backup.path.unlink()
            removed.append(backup)
    return removed


def find_backup(directory, name_or_path: str) -> Path:
    candidate = Path(name_or_path)
    if not candidate.is_absolute() and not candidate.exists():
        candidate = Path(directory) / name_or_path
    if not candidate.is_file():
        raise BackupError(
            f"sauvegarde introuvable : {name_or_path} (« flask --app wsgi backup list » les montre)."
        )
    return candidate


# ── restoring ───────────────────────────────────────────────────────────────────────────


def restore_backup(db_path, backup_path, replaced_dir, *, now=None) -> RestoreResult:
    """Put a checked copy of `backup_path` in place of the database. The file it replaces
    (with its -wal) is moved to `replaced_dir`, never deleted: it may still hold sales."""
    db_path, backup_path, replaced_dir = Path(db_path), Path(backup_path), Path(replaced_dir)
    problem = integrity_problem(backup_path)
    if problem:
        raise BackupError(
            f"la sauvegarde {backup_path.name} n'est pas saine ({problem}) : choisissez-en une autre."
        )
    now = (now or datetime.now(timezone.utc)).astimezone(timezone.utc)
    incoming = db_path.with_name(db_path.name + ".restoring")
    with exclusive_use(db_path):
        shutil.copyfile(backup_path, incoming)
        _settle(incoming, db_path.parent)
        _fsync_file(incoming)
        problem = integrity_problem(incoming)
        if problem:
            incoming.unlink(missing_ok=True)
            raise BackupError(f"la copie restaurée n'est pas saine ({problem}).")
        replaced = None
        if db_path.exists():
            replaced_dir.mkdir(parents=True, exist_ok=True)
            replaced = _new_name(replaced_dir, "replaced", now)
            os.replace(db_path, replaced)
            for suffix in ("-wal", "-journal"):
                side = db_path.with_name(db_path.name + suffix)
                if side.exists():
                    os.replace(side, replaced.with_name(replaced.name + suffix))
            _fsync_dir(replaced_dir)
        # The -shm index belongs to the old file; SQLite rebuilds it.
        db_path.with_name(db_path.name + "-shm").unlink(missing_ok=True)
        os.replace(incoming, db_path)
        _fsync_dir(db_path.parent)
    return RestoreResult(backup_path, replaced)


# ── pushing off the box ─────────────────────────────────────────────────────────────────


def push_backup(command: str, path, *, timeout: float) -> subprocess.CompletedProcess:
    """Run the shop's own transfer command (rsync, scp, curl…) with the file: `{file}` in the
    command is replaced by its path, else the path is added at the end."""
    words = shlex.split(command)
    if any("{file}" in word for word in words):
        words = [word.replace("{file}", str(path)) for word in words]
    else:
        words.append(str(path))
    try:
        result = subprocess.run(words, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as error:
        raise BackupError(f"envoi impossible : {error}") from error
    if result.returncode != 0:
        raise BackupError(
            f"l'envoi a échoué (code {result.returncode}) : {(result.stderr or result.stdout).strip()[-400:]}"
        )
    return result
