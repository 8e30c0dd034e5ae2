"""Bearer tokens: who reaches what, and that a refused call changes nothing."""

import pytest

from headoffice.admin import create_register, create_shop, create_token
from headoffice.extensions import db
from headoffice.models import ReceivedBatch, ReceivedDay

BATCH_ID = "5d0c8f7e-8e44-4f0e-b7a9-2a1f7b3c9d10"

BOX_ENDPOINTS = [
    ("GET", "/api/v1/registers"),
    ("GET", "/api/v1/registers/CAISSE01/snapshot"),
    ("PUT", "/api/v1/registers/CAISSE01/exports/{batch_id}"),
]
HEADOFFICE_ENDPOINTS = [
    ("GET", "/api/v1/exports"),
    ("GET", f"/api/v1/exports/{BATCH_ID}"),
]
# (Authorization value, the contract can see the problem)
MISSING = (None, False)
UNKNOWN = ("no-such-token-anywhere", None)
MALFORMED = ("Basic ZGVtbzpkZW1v", False)


def _send(ho_api, method, path, batch, authorization, request_valid):
    headers = {"Authorization": authorization} if authorization else {}
    kwargs = {"json": batch} if method == "PUT" else {}
    return ho_api.call(
        method,
        path.format(batch_id=batch["batch_id"]),
        token=None,
        headers=headers,
        request_valid=request_valid,
        **kwargs,
    )


def _cases(endpoints, wrong_kind_token):
    for method, path in endpoints:
        for name, (token, valid) in {
            "missing": MISSING,
            "unknown": (f"Bearer {UNKNOWN[0]}", UNKNOWN[1]),
            "malformed": MALFORMED,
            "wrong-kind": (f"Bearer {wrong_kind_token}", None),
        }.items():
            yield pytest.param(method, path, token, valid, id=f"{method} {path} {name}")


@pytest.mark.parametrize(
    ("method", "path", "authorization", "request_valid"),
    [*_cases(BOX_ENDPOINTS, "demo-headoffice-token"), *_cases(HEADOFFICE_ENDPOINTS, "demo-box-token")],
)
def test_a_missing_unknown_or_wrong_kind_token_is_401_and_changes_nothing(
    method, path, authorization, request_valid, ho_api, ho_batch, ho_count
):
    batch = ho_batch(batch_id=BATCH_ID)

    response = _send(ho_api, method, path, batch, authorization, request_valid)

    assert response.status_code == 401
    assert response.json["error"] == "unauthorized"
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    assert ho_count(ReceivedBatch) == 0
    assert ho_count(ReceivedDay) == 0


@pytest.fixture
def other_shop(ho_app):
    """Shop AUTRE01 with its own CAISSE01 and CAISSE77, and its own box token."""
    with ho_app.app_context():
        create_shop("AUTRE01", "Autre boutique")
        create_register("AUTRE01", "CAISSE01", "Caisse 1 de l'autre boutique")
        create_register("AUTRE01", "CAISSE77", "Caisse 77")
        token = create_token("box", shop_code="AUTRE01", token="other-shop-box-token")
        db.session.commit()
    return token


def test_a_box_token_cannot_reach_another_shops_register(ho_api, other_shop, ho_batch, ho_count):
    assert ho_api.get("/api/v1/registers/CAISSE77/snapshot").status_code == 404
    batch = ho_batch(register_code="CAISSE77")
    response = ho_api.put(f"/api/v1/registers/CAISSE77/exports/{batch['batch_id']}", json=batch)
    assert response.status_code == 404
    assert ho_count(ReceivedBatch) == 0


def test_a_box_token_sees_its_own_shop_only(ho_api, other_shop):
    listing = ho_api.get("/api/v1/registers", token=other_shop).json
    assert listing["shop"]["code"] == "AUTRE01"
    assert [register["code"] for register in listing["registers"]] == ["CAISSE01", "CAISSE77"]
    assert listing["registers"][0]["importers"] == []

    snapshot = ho_api.get("/api/v1/registers/CAISSE01/snapshot", token=other_shop).json
    assert snapshot["shop"]["code"] == "AUTRE01"
    assert snapshot["products"] == [] and snapshot["staff"] == []


def test_a_box_token_cannot_export_as_another_shop(ho_api, other_shop, ho_batch, ho_count):
    # Same register code in both shops: the token, not the body, decides the shop.
    batch = ho_batch()
    response = ho_api.put(
        f"/api/v1/registers/CAISSE01/exports/{batch['batch_id']}", json=batch, token=other_shop
    )
    assert response.status_code == 400
    assert "shop_code" in response.json["message"]
    assert ho_count(ReceivedBatch) == 0
