"""A job's document, rendered to the bytes the printer gets and to the text the screens show,
from the same layout and at the width the box's paper allows."""

import json

from flask import current_app

from app.devices.document import columns_for, to_escpos, to_text
from app.devices.layouts import build
from app.states import PrintJobKind


def columns(config=None) -> int:
    config = config or current_app.config
    return columns_for(config.get("PRINTER_PAPER_MM", 80), config.get("PRINTER_COLUMNS"))


def _document(kind, payload, copy_number, interrupted, config):
    return build(
        kind,
        payload,
        copy_number=copy_number,
        interrupted=interrupted,
        drawer_pin=int(config.get("DRAWER_PIN", 2)),
    )


def render_text(
    kind: str, payload: dict, copy_number: int = 0, *, interrupted: bool = False, config=None
) -> str:
    config = config or current_app.config
    return to_text(_document(kind, payload, copy_number, interrupted, config), columns(config))


def render_bytes(
    kind: str, payload: dict, copy_number: int = 0, *, interrupted: bool = False, config=None
) -> bytes:
    config = config or current_app.config
    return to_escpos(
        _document(kind, payload, copy_number, interrupted, config),
        columns(config),
        (config.get("PRINTER") or {}).get("profile"),
    )


def render_job(job, config=None) -> tuple[bytes, str]:
    payload = json.loads(job.payload)
    return (
        render_bytes(job.kind, payload, job.copy_number, interrupted=job.interrupted, config=config),
        render_text(job.kind, payload, job.copy_number, interrupted=job.interrupted, config=config),
    )


def preview_text(job, config=None) -> str:
    """The receipt as the screen shows it (the `devices/_receipt_preview.html` partial)."""
    if job.kind == PrintJobKind.DRAWER:
        return ""
    return render_text(
        job.kind, json.loads(job.payload), job.copy_number, interrupted=job.interrupted, config=config
    )
