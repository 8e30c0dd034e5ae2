"""Remembering each time a register reached head office, for the registers dashboard.

Recorded after the API answered (an after_request hook on the two calls a box makes), in a
transaction of its own: the snapshot and the batch are not slowed by it while they hold
their own, and a failure to record is logged, never turned into an error for the box."""

from flask import Flask, current_app, g, request
from sqlalchemy import select

from headoffice.database import begin_write
from headoffice.extensions import db
from headoffice.models import Register, RegisterContact
from headoffice.roles import ContactKind
from headoffice.timeutil import utcnow

WATCHED = {"api.snapshot": ContactKind.IMPORT, "api.put_export": ContactKind.EXPORT}


def record_contact(shop_id: int, register_code: str, kind: str, status: int, error: str, batch_id) -> None:
    begin_write(db.session)
    register_id = db.session.scalar(
        select(Register.id).where(Register.shop_id == shop_id, Register.code == register_code)
    )
    if register_id is None:  # an unknown register: nothing to show it on
        db.session.rollback()
        return
    db.session.add(
        RegisterContact(
            register_id=register_id,
            at=utcnow(),
            kind=kind,
            status=status,
            error=error[:40],
            batch_id=batch_id if batch_id and len(batch_id) <= 36 else None,
        )
    )
    db.session.commit()


def _error_code(response) -> str:
    if response.status_code < 400 or not response.is_json:
        return ""
    body = response.get_json(silent=True) or {}
    return str(body.get("error") or "")


def _after_api_call(response):
    kind = WATCHED.get(request.endpoint or "")
    caller = g.get("caller")
    if kind is None or caller is None or caller.shop_id is None:
        return response
    try:
        record_contact(
            caller.shop_id,
            (request.view_args or {}).get("code", ""),
            kind,
            response.status_code,
            _error_code(response),
            (request.view_args or {}).get("batch_id"),
        )
    except Exception:  # the box got its answer; the dashboard misses one line
        db.session.rollback()
        current_app.logger.exception("could not record a register's contact")
    return response


def init_contacts(app: Flask) -> None:
    app.after_request(_after_api_call)
