"""The signed text is spelled one way on every side: Valider's prebuilt encoder writes exactly
what json.dumps writes, a moment is one spelling whatever it is read from, and the signer's own
DER encoding is the one OpenSSL and cryptography write. A byte of difference would make the
box's records fail at head office and in a tax inspector's verifier."""

import json
from datetime import datetime, timedelta, timezone

from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature
from hypothesis import given, settings
from hypothesis import strategies as st

import nf525
from app.integrity.signer import N, der_signature

JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(min_value=-(2**63), max_value=2**63) | st.text(),
    lambda inner: st.lists(inner, max_size=5) | st.dictionaries(st.text(), inner, max_size=5),
    max_leaves=30,
)


@settings(max_examples=400, deadline=None)
@given(JSON_VALUES)
def test_the_canonical_text_is_json_dumps_with_sorted_keys_and_no_spaces(value):
    assert nf525.canonical_json(value) == json.dumps(
        value, sort_keys=True, separators=(",", ":"), ensure_ascii=False
    )


@settings(max_examples=300, deadline=None)
@given(
    st.datetimes(min_value=datetime(1000, 1, 1), max_value=datetime(9999, 1, 1)),
    st.integers(min_value=-14 * 60, max_value=14 * 60),
)
def test_a_moment_has_one_spelling_whatever_it_is_read_from(naive, offset_minutes):
    utc = naive.replace(tzinfo=timezone.utc)
    spelled = utc.strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    elsewhere = utc.astimezone(timezone(timedelta(minutes=offset_minutes)))
    assert nf525.moment(naive) == spelled
    assert nf525.moment(elsewhere) == spelled
    assert nf525.moment(spelled) == spelled
    assert nf525.moment(naive.strftime("%Y-%m-%d %H:%M:%S.%f")) == spelled  # SQLite's text


@settings(max_examples=500, deadline=None)
@given(st.integers(min_value=1, max_value=N - 1), st.integers(min_value=1, max_value=N - 1))
def test_the_signers_der_is_the_one_cryptography_writes(r, s):
    assert der_signature(r, s) == encode_dss_signature(r, s)


def test_der_lengths_at_the_edges_of_a_byte():
    for value in (1, 127, 128, 255, 256, 2**255, N - 1):
        assert der_signature(value, value) == encode_dss_signature(value, value)
