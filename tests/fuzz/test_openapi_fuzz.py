"""Schemathesis against the live app: every operation, anonymous and as an admin, on SQLite and PostgreSQL.

A bounded, reproducible run (fixed seed, a few valid and a few invalid requests per operation) that must find no
server error and no answer the published OpenAPI document does not describe. Every failing operation is reported,
not only the first.
"""

import hypothesis
import schemathesis
from schemathesis import Case, GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.fuzz.conftest import LiveApi

EXAMPLES_PER_OPERATION = 8
SEED = 20261125
CHECKS = [not_a_server_error, response_schema_conformance, content_type_conformance, status_code_conformance]


def _fuzz(operation: schemathesis.APIOperation, mode: GenerationMode, headers: dict[str, str]) -> str | None:
    @hypothesis.seed(SEED)
    @hypothesis.settings(
        max_examples=EXAMPLES_PER_OPERATION,
        deadline=None,
        database=None,
        derandomize=True,
        suppress_health_check=list(hypothesis.HealthCheck),
        # No shrinking: the failure as found is reproducible (fixed seed) and shrinking multiplies the budget.
        phases=[hypothesis.Phase.explicit, hypothesis.Phase.generate],
        report_multiple_bugs=False,
    )
    @hypothesis.given(case=operation.as_strategy(generation_mode=mode))
    def run(case: Case) -> None:
        case.call_and_validate(headers=headers, checks=CHECKS)

    try:
        run()
    except hypothesis.errors.Unsatisfiable:
        return None
    except (Exception, BaseExceptionGroup) as exc:  # failed checks, or a transport error: all are findings
        return f"{operation.label} ({mode.value}): {exc}"[:2000]
    return None


def test_no_server_error_and_every_answer_matches_the_schema(live_api: LiveApi) -> None:
    """Generated requests, valid and invalid: never a 5xx, never an answer the schema does not describe."""
    schema = schemathesis.openapi.from_url(f"{live_api.url}/schema/openapi.json")
    operations = [result.ok() for result in schema.get_all_operations()]
    findings = [
        finding
        for operation in operations
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE)
        if (finding := _fuzz(operation, mode, live_api.headers)) is not None
    ]
    assert len(operations) > 30, "the OpenAPI document lost its operations"
    assert not findings, "\n\n".join(findings)
