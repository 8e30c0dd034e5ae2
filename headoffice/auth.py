"""Bearer tokens: a box token for one shop's registers, a head-office token for pulling."""

from dataclasses import dataclass
from functools import wraps

from flask import g, request
from sqlalchemy import select

from headoffice.canonical import sha256_hex
from headoffice.errors import ApiError
from headoffice.extensions import db
from headoffice.models import ApiToken


@dataclass(frozen=True)
class Caller:
    kind: str
    shop_id: int | None


def hash_token(token: str) -> str:
    return sha256_hex(token)


def _bearer_token() -> str | None:
    header = request.headers.get("Authorization", "")
    scheme, _, token = header.partition(" ")
    if scheme.lower() != "bearer" or not token.strip():
        return None
    return token.strip()


def _authenticate(kind: str) -> Caller:
    token = _bearer_token()
    if token is None:
        raise ApiError(401, "unauthorized", "A bearer token is required.")
    row = db.session.execute(
        select(ApiToken.kind, ApiToken.shop_id).where(ApiToken.token_sha256 == hash_token(token))
    ).first()
    # One message for unknown and wrong-kind tokens: a caller learns nothing by probing.
    if row is None or row.kind != kind:
        raise ApiError(401, "unauthorized", "This token is not valid for this endpoint.")
    return Caller(kind=row.kind, shop_id=row.shop_id)


def token_required(kind: str):
    def decorator(view):
        @wraps(view)
        def wrapper(*args, **kwargs):
            g.caller = _authenticate(kind)
            return view(*args, **kwargs)

        return wrapper

    return decorator


box_token_required = token_required("box")
headoffice_token_required = token_required("headoffice")
