"""Schemathesis against our own OpenAPI document: no 5xx, every answer as documented, refusals write nothing.

Bounded: a few examples per operation (``FUZZ_EXAMPLES``), signed in as an admin so every route is reached.
Cases are drawn with Hypothesis directly (schemathesis' pytest plugin does not load under pytest 9).
"""
import os

import schemathesis
from hypothesis import HealthCheck, given, settings
from schemathesis import checks

from tests.conftest import fingerprint

EXAMPLES = int(os.environ.get("FUZZ_EXAMPLES", 8))
# Scans record refusals by design (the stored scan is the record of the refusal); checked elsewhere.
RECORDS_REFUSALS = ("/api/v1/scans", "/api/v1/scans/batch")
# Signing out would revoke the token the fuzzer uses for every other operation (tested in test_auth).
SKIPPED = {("DELETE", "/api/v1/auth/tokens/current")}
# What must hold for any input; we always send a valid token, so the auth probes do not apply.
CHECKS = [checks.not_a_server_error, checks.status_code_conformance, checks.content_type_conformance,
          checks.response_schema_conformance]


def operations(app):
    schema = schemathesis.openapi.from_wsgi("/api/openapi.json", app)
    found = [result.ok() for result in schema.get_all_operations()]
    return [op for op in found if (op.method.upper(), op.path) not in SKIPPED]


def test_every_operation_survives_fuzzing(app, tokens):
    failures = []
    for operation in operations(app):
        @given(case=operation.as_strategy())
        @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                  suppress_health_check=list(HealthCheck))
        def check(case):
            with app.app_context():
                before = fingerprint()
            response = case.call(headers=tokens["admin"])
            assert response.status_code < 500, f"{case.method} {case.formatted_path}: {response.text[:300]}"
            case.validate_response(response, checks=CHECKS)
            if 400 <= response.status_code < 500 and operation.path not in RECORDS_REFUSALS:
                with app.app_context():
                    assert fingerprint() == before, f"{case.method} {case.formatted_path} refused but wrote"
        try:
            check()
        except BaseException as exc:  # noqa: BLE001 - collect them all: one run shows every failing operation
            failures.append(f"{operation.method.upper()} {operation.path}: {str(exc)[:400]}")
    assert failures == [], "\n\n".join(failures)
