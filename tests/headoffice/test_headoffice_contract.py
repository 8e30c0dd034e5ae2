"""The contract harness itself: it must catch a response that breaks docs/openapi.yaml."""

import gzip
import json

import pytest
from flask import Response
from openapi_core.templating.responses.exceptions import ResponseFinderError
from openapi_core.validation.response.exceptions import ResponseValidationError
from werkzeug.datastructures import Headers


@pytest.fixture
def registers_request(ho_spec_request):
    return ho_spec_request("GET", "/api/v1/registers", {}, Headers({"Authorization": "Bearer x"}), None, "")


def test_the_harness_rejects_a_response_missing_a_required_field(
    ho_spec, ho_spec_response, registers_request
):
    body = json.dumps({"shop": {"code": "B", "name": "B", "timezone": "Europe/Paris"}, "registers": []})
    broken = ho_spec_response(Response(body, mimetype="application/json"))

    with pytest.raises(ResponseValidationError):
        ho_spec.validate_response(registers_request, broken)


def test_the_harness_reads_gzipped_bodies(ho_spec, ho_spec_response, registers_request):
    body = json.dumps({"error": "unauthorized", "message": "no"}).encode()
    response = Response(
        gzip.compress(body), status=401, mimetype="application/json", headers={"Content-Encoding": "gzip"}
    )

    ho_spec.validate_response(registers_request, ho_spec_response(response))


def test_the_harness_rejects_an_undocumented_status(ho_spec, ho_spec_response, registers_request):
    response = Response("{}", status=418, mimetype="application/json")

    with pytest.raises((ResponseFinderError, ResponseValidationError)):
        ho_spec.validate_response(registers_request, ho_spec_response(response))


def test_the_demo_batch_is_a_valid_export_batch(ho_spec, ho_batch, ho_spec_request):
    batch = ho_batch()
    request = ho_spec_request(
        "PUT",
        f"/api/v1/registers/CAISSE01/exports/{batch['batch_id']}",
        {},
        Headers({"Authorization": "Bearer x"}),
        json.dumps(batch).encode(),
        "application/json",
    )

    ho_spec.validate_request(request)
