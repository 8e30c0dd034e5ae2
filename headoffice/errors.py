"""Errors as the contract wants them: `{"error": code, "message": sentence}`.

Services raise ApiError; one handler turns it (and Werkzeug's own HTTP errors on /api/
paths) into JSON, so no client ever has to parse an HTML debug page.
"""

from flask import Flask, jsonify, request
from werkzeug.exceptions import HTTPException, InternalServerError, MethodNotAllowed


class ApiError(Exception):
    def __init__(self, status: int, code: str, message: str, **extra):
        super().__init__(message)
        self.status = status
        self.code = code
        self.message = message
        self.extra = extra  # more fields of the error body, when the contract declares them


def error_response(status: int, code: str, message: str, **extra):
    response = jsonify(error=code, message=message, **extra)
    response.status_code = status
    if status == 401:
        response.headers["WWW-Authenticate"] = 'Bearer realm="comptoir-headoffice"'
    return response


def _is_api_request() -> bool:
    return request.path.startswith("/api/")


def _code_for(exc: HTTPException) -> str:
    return (exc.name or "error").lower().replace(" ", "_").replace("'", "")


def register_error_handlers(app: Flask) -> None:
    @app.errorhandler(ApiError)
    def _api_error(exc: ApiError):
        return error_response(exc.status, exc.code, exc.message, **exc.extra)

    @app.errorhandler(HTTPException)
    def _http_error(exc: HTTPException):
        if not _is_api_request():
            from headoffice.web import error_page  # the screens' own page

            return error_page(exc)
        response = error_response(exc.code or 500, _code_for(exc), exc.description or exc.name)
        if isinstance(exc, MethodNotAllowed) and exc.valid_methods:
            response.headers["Allow"] = ", ".join(exc.valid_methods)
        return response

    @app.errorhandler(InternalServerError)
    def _server_error(exc: InternalServerError):
        if not _is_api_request():
            from headoffice.web import error_page

            return error_page(exc)
        return error_response(500, "internal_server_error", "The server failed; nothing was stored.")
