"""Hostile input never breaks head office's API: every route of its URL
map with hostile URL segments and query arguments, and every number of an ExportBatch
replaced by values past 64 bits, fractions, NaN, strings of odd digits… The answer is a
4xx from the contract's error shape, never a 5xx, and a refused batch stores nothing.

Each request uses its own batch and day ids, so the examples do not depend on each other
and the same database serves them all."""

import json
import uuid
from urllib.parse import quote

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import func, select

from headoffice.extensions import db
from headoffice.models import ReceivedBatch
from tests.support.typed_input import HOSTILE_CLASSES, hostile_text

TOKENS = {"box": "Bearer demo-box-token", "headoffice": "Bearer demo-headoffice-token"}
BATCH = "6f1c0c1e-2a55-4c47-9d0a-1c3f5c2b9e01"

# Every route, who calls it, its URL variables and query arguments with valid values.
ROUTES = {
    "static": ("box", {"filename": "none.css"}, {}),
    "api.registers": ("box", {}, {}),
    "api.snapshot": ("box", {"code": "CAISSE01"}, {}),
    "api.put_export": ("box", {"code": "CAISSE01", "batch_id": BATCH}, {}),
    "api.exports": (
        "headoffice",
        {},
        {"since": "2026-11-21T00:00:00Z", "register": "CAISSE01", "after": "0", "limit": "10"},
    ),
    "api.export": ("headoffice", {"batch_id": BATCH}, {}),
    "api.import_catalog_file": ("headoffice", {"shop_code": "BOUTIQUE01"}, {}),
    "api.summary": (
        "headoffice",
        {"shop_code": "BOUTIQUE01"},
        {"from": "2026-11-01", "to": "2026-11-30", "format": "json", "lang": "fr"},
    ),
}
# What a JSON number can be instead: past 64 bits or Integer columns, fractions, NaN, text.
JSON_HOSTILE = (
    10**30,
    -(10**30),
    2**63,
    2**31,
    -1,
    1.5,
    float("nan"),
    float("inf"),
    "²",
    "12",
    True,
    None,
    [],
    {},
)


def _fresh(batch: dict) -> dict:
    """The same batch under new ids: stored or refused, it never meets an earlier one."""
    text = json.dumps(batch)
    for old in {batch["batch_id"], *(day["uuid"] for day in batch["days"])}:
        text = text.replace(old, str(uuid.uuid4()))
    return json.loads(text)


def _numbers(value, path=()):
    """Every JSON path of the batch that holds an integer."""
    if isinstance(value, dict):
        for key, item in value.items():
            yield from _numbers(item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _numbers(item, (*path, index))
    elif isinstance(value, int) and not isinstance(value, bool):
        yield path


def _set(batch, path, value):
    target = batch
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value


def _put(client, batch):
    body = json.dumps(batch, allow_nan=True)
    url = f"/api/v1/registers/CAISSE01/exports/{batch['batch_id']}"
    return client.put(
        url, data=body, content_type="application/json", headers={"Authorization": TOKENS["box"]}
    )


def _call(app, client, endpoint, path=None, query=None):
    caller, valid_path, valid_query = ROUTES[endpoint]
    rule = next(app.url_map.iter_rules(endpoint))
    values = {**valid_path, **(path or {})}
    url = rule.rule
    for name, value in values.items():
        url = url.replace(f"<{name}>", quote(str(value), safe="")).replace(
            f"<path:{name}>", quote(str(value), safe="")
        )
    arguments = {**valid_query, **(query or {})}
    if arguments:
        url += "?" + "&".join(f"{k}={quote(v, safe='')}" for k, v in arguments.items())
    method = next((m for m in ("PUT", "POST") if m in rule.methods), "GET")
    response = client.open(
        url, method=method, headers={"Authorization": TOKENS[caller]}, json={} if method != "GET" else None
    )
    response.close()
    return response.status_code


@pytest.fixture
def ho_crash_client(ho_app):
    """A crash answers 500 as it would in production, so a sweep counts them all."""
    ho_app.config["PROPAGATE_EXCEPTIONS"] = False
    return ho_app.test_client()


def _stored(ho_app) -> int:
    with ho_app.app_context():
        return db.session.scalar(select(func.count()).select_from(ReceivedBatch))


def test_every_api_route_is_swept(ho_app):
    # The screens' routes (web.*) are swept signed in, by test_headoffice_web_typed_input.py.
    api_rules = [rule for rule in ho_app.url_map.iter_rules() if not rule.endpoint.startswith("web.")]
    assert {rule.endpoint for rule in api_rules} == ROUTES.keys()
    for rule in api_rules:
        assert set(rule.arguments) == set(ROUTES[rule.endpoint][1]), rule.rule


@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_hostile_url_segments_and_query_arguments_are_refused_not_a_crash(ho_app, ho_crash_client, endpoint):
    _, path, query = ROUTES[endpoint]
    crashes = []
    for value in HOSTILE_CLASSES + ("0001-01-01T00:00:00+01:00", "9999-12-31T23:59:59-01:00"):
        for name in path:
            if _call(ho_app, ho_crash_client, endpoint, path={name: value}) >= 500:
                crashes.append((name, value[:30]))
        for name in query:
            if _call(ho_app, ho_crash_client, endpoint, query={name: value}) >= 500:
                crashes.append((name, value[:30]))
    assert not crashes, crashes


def test_every_number_of_a_batch_read_by_head_office_is_checked(ho_app, ho_crash_client, ho_credit_batch):
    """The numbers head office reads (day identity and totals, store-credit payments), each
    replaced by each hostile value: a 400 and nothing stored."""
    base = ho_credit_batch("typed", [("issue", "9900000000017", 1500, "2027-05-22")])
    checked = [
        path
        for path in _numbers(base)
        if path[-1] in ("number", "ticket_count", "sales_total_cents", "opening_float_cents")
        and len(path) == 3
        or path[-1] == "amount_cents"
        and "payments" in path
    ]
    assert len(checked) >= 5, checked
    assert _put(ho_crash_client, _fresh(base)).status_code == 201
    stored, accepted, crashes = _stored(ho_app), 0, []
    for path in checked:
        for value in JSON_HOSTILE:
            batch = _fresh(base)
            _set(batch, path, value)
            status = _put(ho_crash_client, batch).status_code
            accepted += status < 300
            if status >= 500:
                crashes.append((path, value, status))
            elif status < 400 and (
                not isinstance(value, int) or isinstance(value, bool) or abs(value) > 2**31
            ):
                crashes.append((path, value, status))  # accepted what it cannot store or mean
    assert not crashes, crashes
    assert _stored(ho_app) == stored + accepted  # the refused batches stored nothing


json_values = st.one_of(
    st.integers(min_value=-(10**40), max_value=10**40),
    st.floats(allow_nan=True, allow_infinity=True),
    hostile_text(),
    st.sampled_from(JSON_HOSTILE),
)


@settings(max_examples=50, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(data=st.data())
def test_generated_numbers_anywhere_in_a_batch_never_give_a_5xx(ho_crash_client, ho_credit_batch, data):
    base = ho_credit_batch(
        "typed", [("issue", "9900000000017", 1500, "2027-05-22"), ("spend", "9900000000017", 500)]
    )
    paths = list(_numbers(base))
    batch = _fresh(base)
    for path in data.draw(st.lists(st.sampled_from(paths), min_size=1, max_size=3), label="paths"):
        _set(batch, path, data.draw(json_values, label=str(path)))
    assert _put(ho_crash_client, batch).status_code < 500
