"""The API against its own OpenAPI schema: schemathesis generates requests from the
schema (served by the app itself) and checks that no answer is a server error, that
every status code is one the operation documents and every body matches its schema.

Bounded and derandomized, so the run is quick and the same on every machine. Each
operation is one test in a transaction of its own; reads are also asked about rows
the user can see (not only the random ids, which are almost all 404).
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    response_schema_conformance,
    status_code_conformance,
)

from regions.models import User
from tracker.api.authentication import api_token_create

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("demo")]

EXAMPLES = 12
CHECKS = [not_a_server_error, status_code_conformance, response_schema_conformance]


def _operations() -> list[tuple[str, str]]:
    document = SchemaGenerator().get_schema(request=None, public=True)
    return sorted(
        (method.upper(), path)
        for path, methods in document["paths"].items()
        for method in methods
        if path != "/api/v1/schema/"
    )


OPERATIONS = _operations()


@pytest.fixture
def wsgi_in_the_test_transaction(settings) -> Iterator[None]:
    """The WSGI handler would close the connection at the end of each request (and with
    it the test's transaction); Django's test client switches this off the same way."""
    settings.ALLOWED_HOSTS = [*settings.ALLOWED_HOSTS, "localhost"]
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def _load(username: str) -> tuple[schemathesis.BaseSchema, dict[str, str]]:
    token = api_token_create(User.objects.get(username=username))
    headers = {"Authorization": f"Bearer {token}"}
    schema = schemathesis.openapi.from_wsgi(
        "/api/v1/schema/", get_wsgi_application(), headers=headers
    )
    return schema, headers


def _run(strategy, headers: dict[str, str], checks=CHECKS, examples: int = EXAMPLES) -> None:
    @hypothesis_settings(
        max_examples=examples,
        derandomize=True,
        database=None,
        deadline=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(case=strategy)
    def check(case) -> None:
        case.call_and_validate(headers=headers, checks=checks)

    check()


def _first_id(schema: schemathesis.BaseSchema, path: str, headers: dict[str, str]) -> int | None:
    listing = path[: path.index("{id}")]
    rows = schema[listing]["GET"].Case().call(headers=headers).json()["results"]
    return rows[0]["id"] if rows else None


@pytest.mark.usefixtures("wsgi_in_the_test_transaction")
@pytest.mark.parametrize(("method", "path"), OPERATIONS, ids=[f"{m} {p}" for m, p in OPERATIONS])
def test_the_api_keeps_to_its_schema(method, path):
    # The secretary may write (their body's response and measures); the auditor of
    # another region reads what the audit side sees. Writes are the secretary's.
    users = ["sekreterare.norrbotten"] + (["revisor.vasterbotten"] if method == "GET" else [])
    for username in users:
        schema, headers = _load(username)
        operation = schema[path][method]
        _run(operation.as_strategy(), headers)
        if "{id}" in path:
            # Random ids are almost all 404: also a row the user may see (and change).
            known = _first_id(schema, path, headers)
            if known is not None:
                _run(operation.as_strategy(path_parameters={"id": known}), headers)
        # Input outside the schema: whatever the answer, never a server error.
        negative = operation.as_strategy(generation_mode=schemathesis.GenerationMode.NEGATIVE)
        _run(negative, headers, checks=[not_a_server_error], examples=EXAMPLES // 2)
