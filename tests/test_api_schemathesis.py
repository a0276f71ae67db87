"""Property-based run of the whole OpenAPI schema (schemathesis): no input may produce a 5xx,
and every answer is JSON. Bounded: a few examples per operation, about half a minute."""

from __future__ import annotations

import pytest
import schemathesis
from fastapi import FastAPI
from hypothesis import HealthCheck, given, settings
from schemathesis.checks import not_a_server_error

pytest_plugins = ["tests.conftest_service"]

EXAMPLES_PER_OPERATION = 10


def _operations(app: FastAPI) -> list[schemathesis.APIOperation]:
    schema = schemathesis.openapi.from_asgi("/openapi.json", app)
    return [result.ok() for result in schema.get_all_operations()]


def test_every_operation_is_covered(app: FastAPI) -> None:
    labels = {op.label for op in _operations(app)}
    assert "POST /match/{dataset}" in labels and "GET /diff" in labels and "POST /admin/ingest" in labels
    assert {"GET /status", "GET /divergence", "GET /timeline", "GET /timeline.svg", "GET /events",
            "GET /parties/{party_id}"} <= labels


@pytest.mark.slow
def test_no_server_errors(app: FastAPI) -> None:
    failures: list[str] = []
    for operation in _operations(app):

        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES_PER_OPERATION, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def run(case: schemathesis.Case) -> None:
            response = case.call()
            case.validate_response(response, checks=[not_a_server_error])
            content_type = response.headers.get("content-type") or [""]
            expected = ("image/svg+xml" if case.path.endswith(".svg") and response.status_code == 200
                        else "application/json")
            assert content_type[0].startswith(expected), response.text

        try:
            run()
        except Exception as exc:  # noqa: BLE001 - collect every operation's failure, then report
            failures.append(f"{operation.label}: {exc}")
    assert not failures, "\n\n".join(failures)
