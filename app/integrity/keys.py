"""The box's signing key: an ECDSA P-256 private key in the instance folder, created at
provisioning (`flask --app wsgi integrity key`, which `make demo` and the provisioning script
run) or on first use, readable by the service user only. Never in the database: whoever can
edit the database must not be able to sign."""

import os
import threading
from dataclasses import dataclass

from cryptography.hazmat.primitives import serialization
from flask import current_app

import nf525
from app.integrity.signer import READY, Signer

KEY_FILE = "signing-key.pem"
# By instance folder: Valider asks for the key on every sale, and reading it is then one
# dictionary lookup (no path to build).
_loaded: dict[str, "BoxKey"] = {}
_lock = threading.Lock()


@dataclass(frozen=True)
class BoxKey:
    private: object
    key_id: str
    public_pem: str
    signer: Signer


def key_path(instance_path: str | None = None) -> str:
    return os.path.join(instance_path or current_app.instance_path, KEY_FILE)


def box_key(instance_path: str | None = None) -> BoxKey:
    """The key, read once per process (signing is on Valider's path)."""
    folder = instance_path or current_app.instance_path
    found = _loaded.get(folder)
    if found is None:
        with _lock:
            found = _loaded.get(folder) or _load_or_create(key_path(folder))
            _loaded[folder] = found
    return found


def loaded_key(instance_path: str) -> BoxKey | None:
    """The key if this process has already read it (nothing is read from disk)."""
    return _loaded.get(instance_path)


def top_up_after(response):
    """After a response is sent, this worker prepares the next signatures (signer.py): the
    person has their screen already, and Valider then signs in microseconds."""
    key = loaded_key(current_app.instance_path)
    if key is not None and key.signer.prepared < READY:
        response.call_on_close(key.signer.top_up)
    return response


def _load_or_create(path: str) -> BoxKey:
    if not os.path.exists(path):
        create_key(path)
    with open(path, "rb") as handle:
        private = serialization.load_pem_private_key(handle.read(), password=None)
    return BoxKey(private, nf525.key_id(private), nf525.public_pem(private), Signer(private))


def create_key(path: str) -> bool:
    """A new key pair, written 0600 without a window where another user could read it;
    False if a key is already there (a key is never overwritten: records depend on it)."""
    pem = nf525.new_private_key().private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return False
    with os.fdopen(fd, "wb") as handle:
        handle.write(pem)
        handle.flush()
        os.fsync(handle.fileno())
    _loaded.pop(os.path.dirname(path), None)
    return True
