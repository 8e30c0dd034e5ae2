"""Checking a code against the hash head office imported, with a short memory of codes
already proven in this process.

Head office hashes with scrypt: about 0.1 s here, several times that on a Raspberry Pi, and
a cashier types their code dozens of times a day (Connecter, a discount, the drawer). The
first right code of a person in a process pays the hash. The process then remembers, for
PASSWORD_MEMORY_SECONDS, an HMAC of (person, stored hash, code) under a random key that is
never written anywhere; the same code again is compared with it in microseconds.

- A wrong code always pays the full hash, and the lock-out counts it as before.
- A new import changes the stored hash, which forgets the old entry by itself.
- What a memory dump would reveal is no weaker than the stored hash, since a 4-digit code
  falls to 10,000 tries of either; the lock-out is what protects it (docs/headoffice.md).
- PASSWORD_MEMORY_SECONDS = 0 turns the memory off."""

import hashlib
import hmac
import secrets
import time

from flask import current_app
from werkzeug.security import check_password_hash

_KEY = secrets.token_bytes(32)
_MAX_PEOPLE = 512
_proven: dict[str, tuple[bytes, float]] = {}


def check_code(staff_code: str, stored_hash: str, code: str) -> bool:
    if not code or not stored_hash:
        return False
    lifetime = current_app.config.get("PASSWORD_MEMORY_SECONDS", 0)
    digest = hmac.new(_KEY, "\0".join((staff_code, stored_hash, code)).encode(), hashlib.sha256).digest()
    remembered = _proven.get(staff_code)
    now = time.monotonic()
    if remembered and remembered[1] > now and hmac.compare_digest(remembered[0], digest):
        return True
    if not check_password_hash(stored_hash, code):
        return False
    if lifetime > 0:
        if len(_proven) >= _MAX_PEOPLE:
            _proven.clear()
        _proven[staff_code] = (digest, now + lifetime)
    return True


def forget_codes() -> None:
    """For the tests, and for whoever wants every next code to pay the full hash again."""
    _proven.clear()
