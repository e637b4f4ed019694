"""schemathesis fuzzes every operation of the OpenAPI spec, with inputs that fit the schema and inputs
that break it; no input may cause a server error. Bounded: a fixed, derandomised number of examples per
operation and mode, so the run stays well under a minute."""

from __future__ import annotations

import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode

from tests.service.conftest import make_client
from threadguard.thread.context import ContextScorer

EXAMPLES = 12


def test_no_input_causes_a_server_error(tmp_path, scorer: ContextScorer) -> None:
    client, keys = make_client(f"sqlite:///{tmp_path / 'tg.db'}", scorer)
    schema = schemathesis.openapi.from_asgi("/openapi.json", client.app)
    operations = [result.ok() for result in schema.get_all_operations()]
    assert len(operations) >= 12
    failures = []
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @given(case=operation.as_strategy(generation_mode=mode))
            @settings(max_examples=EXAMPLES, deadline=None, derandomize=True, database=None,
                      suppress_health_check=list(HealthCheck))  # fmt: skip
            def fuzz(case) -> None:
                case.call_and_validate(headers={"X-API-Key": keys["admin"]}, checks=[not_a_server_error])

            try:
                fuzz()
            except Unsatisfiable:
                pass  # every input of this mode is valid (no parameters to break): nothing to fuzz
            except Exception as exc:  # collect every operation's failure, then report them all
                failures.append(f"{operation.label} ({mode}): {str(exc)[:800]}")
    client.app.state.runtime.engine.dispose()
    assert not failures, "\n\n".join(failures)
