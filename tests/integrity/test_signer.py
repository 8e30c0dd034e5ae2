"""Signing with prepared signatures (app/integrity/signer.py): the same ECDSA signatures as
nf525.sign, each prepared k used once and never shared with a forked worker, prepared after a
response is sent, and what the box signs that way checks out like any other record."""

import base64
import os

import pytest
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

import nf525
from app.extensions import db
from app.integrity.keys import box_key
from app.integrity.signer import READY, Signer
from app.services.integrity import verify_chains
from tests.support.till import sell

KEY = nf525.new_private_key()
PREPARED = Signer(KEY)


def _r(signature: str) -> int:
    raw = base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4))
    return decode_dss_signature(raw)[0]


@settings(max_examples=200, deadline=None)
@given(st.binary(max_size=4096))
def test_a_prepared_signature_is_an_ecdsa_signature_of_the_text(payload):
    if not PREPARED.prepared:
        PREPARED.top_up(READY)
    before = PREPARED.prepared
    signature = PREPARED.sign(payload)
    assert PREPARED.prepared == before - 1  # it was a prepared one, not nf525.sign
    assert nf525.signature_ok(KEY.public_key(), payload, signature)
    assert not nf525.signature_ok(KEY.public_key(), payload + b"!", signature)
    KEY.public_key().verify(
        base64.urlsafe_b64decode(signature + "=" * (-len(signature) % 4)),
        payload,
        ec.ECDSA(hashes.SHA256()),
    )


def test_each_prepared_k_signs_once_then_signing_goes_on_without():
    signer = Signer(nf525.new_private_key())
    assert signer.top_up(READY + 10) == READY  # never more than READY kept
    signatures = [signer.sign(b"ticket %d" % n) for n in range(READY + 5)]
    assert signer.prepared == 0
    assert len({_r(s) for s in signatures}) == len(signatures)  # no r twice: no k twice
    assert all(
        nf525.signature_ok(signer._key.public_key(), b"ticket %d" % n, s) for n, s in enumerate(signatures)
    )


def test_a_forked_worker_never_uses_its_parents_prepared_signatures():
    signer = Signer(nf525.new_private_key())
    signer.top_up(READY)
    reading, writing = os.pipe()
    child = os.fork()
    if child == 0:  # the child says how many it found and the r it signed with
        try:
            os.write(writing, f"{signer.prepared} {_r(signer.sign(b'child'))}".encode())
        finally:
            os._exit(0)
    os.close(writing)
    os.waitpid(child, 0)
    found, child_r = os.read(reading, 200).decode().split()
    parent_rs = {_r(signer.sign(b"parent %d" % n)) for n in range(READY)}
    assert found == "0" and int(child_r) not in parent_rs


def test_only_a_p256_key_signs():
    with pytest.raises(ValueError):
        Signer(ec.generate_private_key(ec.SECP384R1()))


def test_after_a_response_the_worker_prepares_and_valider_signs_with_them(app, kiosk, till):
    first = sell(kiosk, till, ["Baguette tradition"])
    with app.test_request_context():
        signer = box_key().signer
    kiosk.open("/vente")  # the response is closed: the worker prepared signatures
    assert signer.prepared > 0
    signer.top_up(READY)
    waiting = {r for _, r in list(signer._ready)}  # the oldest are taken first
    second = sell(kiosk, till, ["Croissant"])
    signature = till.sql(
        "SELECT signature FROM signed_record WHERE subject_uuid = :u", u=second.uuid
    ).scalar()
    assert _r(signature) in waiting
    with app.app_context():
        verification = verify_chains(db.session)
        db.session.remove()
    assert verification.sound, verification.problems
    records = till.sql(
        "SELECT subject_uuid FROM signed_record WHERE chain = 'ticket' ORDER BY number"
    ).scalars()
    assert list(records) == [first.uuid, second.uuid]


def test_any_answer_once_sent_has_the_worker_prepare_signatures(app, client):
    # The tests' client closes each answer as gunicorn does once it is sent (every test
    # client answer counts as streamed: closing only unstreamed ones closed none).
    with app.test_request_context():
        signer = box_key().signer
    signer.forget()
    client.get("/")
    assert signer.prepared > 0
