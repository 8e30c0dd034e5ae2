"""Signing while the cashier waits. An ECDSA signature is s = k⁻¹·(z + r·d) mod n, where r is
the x of the point k·G for a fresh random k: that point is nearly all of a signature's cost and
does not depend on the text signed. So each worker prepares (k⁻¹, r) pairs after it has sent a
response (`top_up`, called from the response's close) and Valider only hashes and does two
multiplications — the same signatures, checked by the same nf525.signature_ok, in a tenth of
the time (docs/integrity.md, "What signing costs").

A prepared k is used once and never leaves this process's memory: it is taken from the queue
before use, the queue is emptied in a forked child (two workers never share a k: a k used twice
gives the private key away), and nothing is ever written to disk. With nothing prepared (the
scheduler, a command, a burst of sales), `sign` is nf525.sign itself."""

import binascii
import hashlib
import os
import secrets
import weakref
from collections import deque

from cryptography.hazmat.primitives.asymmetric import ec

import nf525

# The order of P-256's group (SEC 2, secp256r1): every k, r and s lives modulo it.
N = 0xFFFFFFFF00000000FFFFFFFFFFFFFFFFBCE6FAADA7179E84F3B9CAC2FC632551
READY = 64  # prepared signatures a worker keeps: more than a rush of sales between two requests
STEP = 8  # prepared after one response: a few milliseconds the person does not wait for

_URL_SAFE = bytes.maketrans(b"+/", b"-_")

_signers: "weakref.WeakSet[Signer]" = weakref.WeakSet()


class Signer:
    def __init__(self, private_key: ec.EllipticCurvePrivateKey):
        if not isinstance(private_key.curve, ec.SECP256R1):
            raise ValueError("the box's key is ECDSA P-256 (nf525.py)")
        self._key = private_key
        self._d = private_key.private_numbers().private_value
        self._ready: deque[tuple[int, int]] = deque()
        self._pid = os.getpid()
        _signers.add(self)

    def sign(self, payload: bytes) -> str:
        """nf525.sign's signature of `payload` (DER, URL-safe base64 without padding)."""
        if self._pid != os.getpid():
            self.forget()
        try:
            k_inverse, r = self._ready.popleft()  # atomic: two threads never take the same k
        except IndexError:
            return nf525.sign(self._key, payload)
        # SHA-256 is as long as N, so the whole digest is z (no leftmost-bits truncation).
        z = int.from_bytes(hashlib.sha256(payload).digest(), "big")
        s = k_inverse * (z + r * self._d) % N
        if s == 0:  # probability 2⁻²⁵⁶, but a zero s is not a signature
            return nf525.sign(self._key, payload)
        return (
            binascii.b2a_base64(der_signature(r, s), newline=False).translate(_URL_SAFE).rstrip(b"=").decode()
        )

    def top_up(self, most: int = STEP) -> int:
        """Prepare up to `most` signatures, never more than READY in all; how many were made."""
        if self._pid != os.getpid():
            self.forget()
        made = 0
        while made < most and len(self._ready) < READY:
            k = secrets.randbelow(N - 1) + 1
            # OpenSSL computes k·G (constant time); its x, reduced modulo N, is r.
            r = ec.derive_private_key(k, ec.SECP256R1()).public_key().public_numbers().x % N
            if r:
                self._ready.append((pow(k, -1, N), r))
                made += 1
        return made

    @property
    def prepared(self) -> int:
        return len(self._ready) if self._pid == os.getpid() else 0

    def forget(self) -> None:
        self._ready.clear()
        self._pid = os.getpid()


def der_signature(r: int, s: int) -> bytes:
    """ECDSA-Sig-Value (RFC 3279): SEQUENCE { INTEGER r, INTEGER s }, what OpenSSL writes and
    cryptography's encode_dss_signature returns. Written here because Valider runs it once a
    sale, when a call into another library costs more than these few bytes (docs/integrity.md).
    r and s are below N, so every length fits in one byte."""
    body = _der_integer(r) + _der_integer(s)
    return b"\x30" + bytes((len(body),)) + body


def _der_integer(value: int) -> bytes:
    # One more byte than the bits need: a leading zero keeps a high first bit from reading
    # as a negative number, as DER wants, and no other zero is left in front.
    raw = value.to_bytes(value.bit_length() // 8 + 1, "big")
    return b"\x02" + bytes((len(raw),)) + raw


def _forget_all_in_child() -> None:
    for signer in list(_signers):
        signer.forget()


os.register_at_fork(after_in_child=_forget_all_in_child)
