"""The /api/v1 blueprint: routes read input, call one service, shape the reply."""

import gzip

from flask import Blueprint, Response, g, jsonify, request
from sqlalchemy import select

from headoffice.auth import box_token_required, headoffice_token_required
from headoffice.catalog_file import CatalogFileError
from headoffice.catalog_import import import_catalog
from headoffice.chains import heads_json, integrity_json
from headoffice.errors import ApiError
from headoffice.export_checks import parse_uuid
from headoffice.extensions import db
from headoffice.lookups import find_register
from headoffice.models import Register, Shop
from headoffice.pulling import DEFAULT_PAGE, MAX_PAGE, Page, get_export, list_exports
from headoffice.receiving import Receipt, Target, receive_export
from headoffice.request_body import json_body
from headoffice.rights import Right
from headoffice.serialize import shop_json, staff_json
from headoffice.shop_summary import SummaryError, read_period, shop_summary
from headoffice.snapshot import snapshot_reply
from headoffice.summary_csv import LANGS, file_name, summary_csv
from headoffice.timeutil import parse_rfc3339, to_rfc3339

bp = Blueprint("api", __name__, url_prefix="/api/v1")


def _caller_shop() -> Shop:
    return db.session.get(Shop, g.caller.shop_id)


def _caller_register(code: str) -> tuple[Shop, Register]:
    shop = _caller_shop()
    register = find_register(shop.id, code)
    # Another shop's register answers like a missing one: a box learns nothing about others.
    if register is None:
        raise ApiError(404, "register_not_found", f"No register {code!r} in shop {shop.code}.")
    return shop, register


@bp.get("/registers")
@box_token_required
def registers():
    shop = _caller_shop()
    importers = [
        {key: person[key] for key in ("code", "name", "password_hash")}
        for person in staff_json(shop.id, with_right=Right.IMPORT)
    ]
    rows = db.session.scalars(select(Register).where(Register.shop_id == shop.id).order_by(Register.code))
    return jsonify(
        shop=shop_json(shop),
        registers=[
            {
                "code": register.code,
                "name": register.name,
                "importers": importers,
                "integrity": integrity_json(register),
            }
            for register in rows
        ],
    )


@bp.get("/registers/<code>/snapshot")
@box_token_required
def snapshot(code: str):
    shop, register = _caller_register(code)
    version, body = snapshot_reply(shop, register, held=request.if_none_match.contains_weak)
    if body is None:
        response = Response(status=304)
    else:
        response = Response(body, mimetype="application/json")
        if request.accept_encodings["gzip"]:
            response.set_data(gzip.compress(body, compresslevel=6))
            response.headers["Content-Encoding"] = "gzip"
    response.set_etag(version)
    response.vary.add("Accept-Encoding")
    return response


@bp.put("/registers/<code>/exports/<batch_id>")
@box_token_required
def put_export(code: str, batch_id: str):
    shop, register = _caller_register(code)
    target = Target(shop.id, shop.code, register.id, register.code, shop.timezone)
    body = json_body()  # plain or gzip (contract 1.2.0), bounded
    if body is None:
        raise ApiError(400, "invalid_json", "The body must be a JSON ExportBatch.")
    receipt = receive_export(target, parse_uuid(batch_id, "The URL's batch_id"), body)
    return _ack(receipt, target.register_id), 200 if receipt.replayed else 201


def _ack(receipt: Receipt, register_id: int):
    ack = {
        "batch_id": receipt.batch_id,
        "received_at": to_rfc3339(receipt.received_at),
        "day_count": receipt.day_count,
        "replayed": receipt.replayed,
    }
    if receipt.already_held:  # contract 1.2.0; absent otherwise, as before
        ack["already_held"] = [
            {"day_uuid": day, "batch_id": batch} for day, batch in receipt.already_held.items()
        ]
    heads = heads_json(register_id)
    if heads:  # contract 1.3.0: what head office holds of each chain, the box remembers it
        ack["heads"] = heads
    return jsonify(ack)


@bp.get("/exports")
@headoffice_token_required
def exports():
    since = request.args.get("since")
    if since is not None:
        try:
            since = parse_rfc3339(since)
        except ValueError:
            raise ApiError(
                400,
                "invalid_since",
                f"since must be an RFC 3339 time such as 2026-11-23T09:24:20Z, not {since!r}.",
            ) from None
    return jsonify(
        list_exports(register_code=request.args.get("register"), since=since, page=_page(request.args))
    )


def _page(args) -> Page | None:
    """`after` and `limit` (contract 1.5.0); neither: the whole list, as before paging."""
    after, limit = args.get("after"), args.get("limit")
    if after is None and limit is None:
        return None
    if after is not None and not (after.isascii() and after.isdigit() and len(after) <= 18):
        raise ApiError(
            400,
            "invalid_cursor",
            f"after must be the next_after (or a batch's cursor) of an earlier answer, digits only, not {after!r}.",
        )
    if limit is not None and not (
        limit.isascii() and limit.isdigit() and len(limit) <= 4 and 1 <= int(limit) <= MAX_PAGE
    ):
        raise ApiError(
            400, "invalid_limit", f"limit must be a whole number from 1 to {MAX_PAGE}, not {limit!r}."
        )
    return Page(after=int(after or 0), limit=int(limit or DEFAULT_PAGE))


@bp.get("/exports/<batch_id>")
@headoffice_token_required
def export(batch_id: str):
    try:
        found = get_export(parse_uuid(batch_id, "batch_id"))
    except ApiError:
        found = None
    if found is None:
        raise ApiError(404, "batch_not_found", f"No batch {batch_id!r} was received.")
    return jsonify(found)


CATALOG_KINDS = {"text/csv": "csv", "application/json": "json"}


@bp.post("/shops/<shop_code>/catalog")
@headoffice_token_required
def import_catalog_file(shop_code: str):
    """The shop's catalogue from its ERP (contract 1.5.0): upsert by code, all or nothing."""
    kind = CATALOG_KINDS.get(request.mimetype)
    if kind is None:
        raise ApiError(
            415,
            "unsupported_media_type",
            "Send the catalogue as text/csv or application/json; nothing was changed.",
            message_fr="Envoyez le catalogue en text/csv ou application/json ; rien n’a été modifié.",
        )
    try:
        report = import_catalog(shop_code, request.get_data(cache=False), kind)
    except CatalogFileError as error:
        status = 404 if error.code == "shop_not_found" else 400
        raise ApiError(status, error.code, error.message, message_fr=error.message_fr) from None
    if not report.applied:
        raise ApiError(
            422,
            "rows_refused",
            f"{report.refused_count} row(s) refused; nothing was changed.",
            message_fr=f"{report.refused_count} ligne(s) refusée(s) ; rien n’a été modifié.",
            **report.as_json(),
        )
    return jsonify(report.as_json())


@bp.get("/shops/<shop_code>/summary")
@headoffice_token_required
def summary(shop_code: str):
    """« Récapitulatif de la boutique » (contract 1.5.0): JSON, or CSV with format=csv."""
    args = request.args
    kind, lang = args.get("format", "json"), args.get("lang", "fr")
    if kind not in ("json", "csv") or lang not in LANGS:
        raise ApiError(
            400,
            "invalid_format",
            "format is json or csv, lang fr or en.",
            message_fr="format vaut json ou csv, lang fr ou en.",
        )
    try:
        found = shop_summary(shop_code, read_period(args.get("date"), args.get("from"), args.get("to")))
    except SummaryError as error:
        raise ApiError(error.status, error.code, error.message, message_fr=error.message_fr) from None
    if kind == "json":
        return jsonify(found)
    name = file_name(found)
    return Response(
        summary_csv(found, lang).encode("utf-8-sig"),  # the BOM makes spreadsheets read UTF-8
        mimetype="text/csv",
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )
