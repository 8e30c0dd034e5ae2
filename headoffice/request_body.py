"""The JSON body of a request, plain or gzip-compressed (contract 1.2.0, export PUTs).

Decompression is bounded: a few kilobytes of gzip can inflate to gigabytes (a "gzip bomb"),
so the body is inflated in steps and refused with 413 as soon as it passes the limit, before
it is all in memory. Malformed or truncated gzip is a 400 naming the problem."""

import json
import zlib

from flask import current_app, request

from headoffice.errors import ApiError

_STEP = 1024 * 1024


def json_body():
    """The parsed JSON body, or None when it is not JSON (the caller answers 400)."""
    encoding = (request.headers.get("Content-Encoding") or "identity").strip().lower()
    limit = current_app.config["MAX_EXPORT_BYTES"]
    if encoding == "gzip":
        data = _gunzip(request.get_data(cache=False), limit)
    elif encoding == "identity":
        data = request.get_data(cache=False)
        if len(data) > limit:
            raise _too_large(limit)
    else:
        raise ApiError(
            415,
            "unsupported_encoding",
            f"Content-Encoding {encoding!r} is not supported: send gzip or plain JSON.",
        )
    try:
        return json.loads(data)
    except (ValueError, UnicodeDecodeError):
        return None


def _gunzip(data: bytes, limit: int) -> bytes:
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)  # gzip header and trailer
    out, size, pending = [], 0, data
    try:
        while not inflater.eof:
            # max_length bounds what one call may produce, whatever the input's ratio.
            chunk = inflater.decompress(pending, min(_STEP, limit - size + 1))
            size += len(chunk)
            if size > limit:
                raise _too_large(limit)
            out.append(chunk)
            moved = chunk or len(inflater.unconsumed_tail) < len(pending)
            pending = inflater.unconsumed_tail
            if not moved:  # no input left to give and no output coming: cut short
                break
        if not inflater.eof:
            raise _bad_gzip("the gzip stream is truncated")
        if inflater.unused_data:
            raise _bad_gzip("bytes follow the end of the gzip stream")
    except zlib.error as error:
        raise _bad_gzip(str(error)) from None
    return b"".join(out)


def _too_large(limit: int) -> ApiError:
    return ApiError(
        413, "body_too_large", f"The body is larger than {limit} bytes once decompressed; nothing stored."
    )


def _bad_gzip(why: str) -> ApiError:
    return ApiError(
        400,
        "invalid_gzip",
        f"Content-Encoding is gzip but the body is not valid gzip ({why}); nothing stored.",
    )
