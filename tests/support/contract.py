"""docs/openapi.yaml checks for the register's real HTTP exchanges (httpx requests)."""

import gzip
from functools import lru_cache
from pathlib import Path

import httpx
from openapi_core import OpenAPI
from openapi_core.datatypes import RequestParameters
from werkzeug.datastructures import Headers, ImmutableMultiDict

SPEC = Path(__file__).resolve().parents[2] / "docs" / "openapi.yaml"
SPEC_SERVER = "http://127.0.0.1:5001"


@lru_cache(maxsize=1)
def openapi() -> OpenAPI:
    return OpenAPI.from_file_path(str(SPEC))


class HttpxRequest:
    """The register talks to head office at whatever URL its box is configured with; the
    contract is about paths, methods, headers and bodies, so the host is the spec's."""

    def __init__(self, request: httpx.Request):
        self.host_url = SPEC_SERVER
        self.path = request.url.path
        self.method = request.method.lower()
        self.body = request.content or None
        if self.body and request.headers.get("content-encoding") == "gzip":
            self.body = gzip.decompress(self.body)  # the schema describes the JSON (1.2.0)
        self.content_type = request.headers.get("content-type", "")
        self.parameters = RequestParameters(
            query=ImmutableMultiDict(request.url.params.multi_items()),
            header=Headers(list(request.headers.items())),
            cookie=ImmutableMultiDict(),
        )


class HttpxResponse:
    def __init__(self, response: httpx.Response):
        self.status_code = response.status_code
        self.headers = Headers(list(response.headers.items()))
        self.content_type = response.headers.get("content-type", "")
        self.data = response.content or None


def validate_exchange(request: httpx.Request, response: httpx.Response) -> None:
    wrapped = HttpxRequest(request)
    openapi().validate_request(wrapped)
    openapi().validate_response(wrapped, HttpxResponse(response))
