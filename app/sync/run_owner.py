"""Which process runs an import or export: the one holding the run's lock file.

A `sync_run` row says "running" until its owner writes how it ended. An owner killed
(SIGKILL, power cut, a gunicorn worker recycled) never writes it; a time limit would block
Importer and Exporter meanwhile, and a pid can be reused. So the owner holds an exclusive
flock(2) on `<database>.runs/<run uuid>.lock` from before the row exists until after its
end is committed: the kernel drops the lock the moment the process dies, and anyone may ask
"is the owner still there?" by trying to take it. flock (not fcntl locks) also tells two
threads of one process apart, as each opens its own descriptor."""

import fcntl
import os
import threading

_held: dict[str, int] = {}
_held_guard = threading.Lock()


def _folder() -> str:
    from flask import current_app

    from app.extensions import db

    database = db.engine.url.database
    if db.engine.dialect.name == "sqlite" and database and database != ":memory:":
        return f"{database}.runs"  # beside the file it speaks of: a copied box keeps its own
    return os.path.join(current_app.instance_path, "sync-runs")


def _path(run_uuid: str) -> str:
    return os.path.join(_folder(), f"{run_uuid}.lock")


def claim(run_uuid: str) -> None:
    """Take the run's lock for this process (before its row is written)."""
    os.makedirs(_folder(), mode=0o750, exist_ok=True)
    fd = os.open(_path(run_uuid), os.O_RDWR | os.O_CREAT | os.O_CLOEXEC, 0o640)
    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)  # a new uuid: nobody else has it
    with _held_guard:
        _held[run_uuid] = fd


def holds(run_uuid: str) -> bool:
    with _held_guard:
        return run_uuid in _held


def release(run_uuid: str) -> None:
    """Give the lock back (after the run's end is committed). Harmless when not held."""
    with _held_guard:
        fd = _held.pop(run_uuid, None)
    if fd is None:
        return
    try:
        os.unlink(_path(run_uuid))
    except FileNotFoundError:
        pass
    os.close(fd)


def owner_alive(run_uuid: str) -> bool:
    """True while some process (this one included) holds the run's lock."""
    if holds(run_uuid):
        return True
    try:
        fd = os.open(_path(run_uuid), os.O_RDWR | os.O_CLOEXEC)
    except FileNotFoundError:
        return False  # a row written before this mechanism, or a lock file already swept
    try:
        fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        os.close(fd)
        return True
    try:  # ours now, so nobody is using it: sweep it
        os.unlink(_path(run_uuid))
    except FileNotFoundError:
        pass
    os.close(fd)
    return False
