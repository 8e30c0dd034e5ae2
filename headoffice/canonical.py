"""Canonical JSON: the one byte form we hash, so that key order or spacing never matters."""

import hashlib
import json
from typing import Any


def canonical_json(value: Any) -> str:
    # ensure_ascii=False keeps "Espèces" readable in the stored body; the hash is only ever
    # compared with hashes made here, so the choice just has to stay the same.
    return json.dumps(value, sort_keys=True, separators=(",", ":"), ensure_ascii=False)


def sha256_hex(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def canonical_sha256(value: Any) -> str:
    return sha256_hex(canonical_json(value))
