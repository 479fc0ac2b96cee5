"""Schemathesis over every operation of the OpenAPI schema, as the county user and as a township
clerk: generated requests (valid and not) never make a 5xx, and every answer is one the schema
declares, with the declared status, content type and body (so a generated client can read it).

The number of examples per operation is bounded (``GONGYI_SCHEMATHESIS_EXAMPLES``, default 4),
so that the whole test stays within a minute; raise it for a deeper run."""

import json
import os

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.renderers import OpenApiJsonRenderer
from hypothesis import HealthCheck, Phase, given
from hypothesis import settings as hypothesis_settings
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from gongyi.enums import Role
from gongyi.models import ApiToken
from gongyi.tokens import api_token_issue
from tests.onboarding.conftest import (  # noqa: F401  (fixtures)
    approver,
    journey,
    make_applicant,
    post,
    reviewers,
    round_,
    village_user,
)

pytestmark = pytest.mark.django_db

EXAMPLES = int(os.environ.get("GONGYI_SCHEMATHESIS_EXAMPLES", "4"))
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
]


@pytest.fixture
def keep_connection():
    """The WSGI handler closes the database connection after each request, as it should in
    production; here it is the test's transaction (Django's test client does the same)."""
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


def load_schema():
    """The schema as ``/api/schema/`` serves it, over the application in this process."""
    generated = SchemaGenerator().get_schema(request=None, public=True)
    loaded = schemathesis.openapi.from_dict(json.loads(OpenApiJsonRenderer().render(generated)))
    loaded.app = get_wsgi_application()
    return loaded


class Credentials:
    """A live token of the user: a case that revokes it (``DELETE /auth/token/``) is followed
    by a new one."""

    def __init__(self, user):
        self.user, self.token = user, None

    def headers(self) -> dict:
        if self.token is None or not ApiToken.objects.filter(pk=self.token.pk, revoked_at=None):
            self.token, key = api_token_issue(user=self.user)
            self.header = {"Authorization": f"Token {key}"}
        return self.header


def failures_of(schema, credentials: Credentials, known: dict[str, str], statuses: set[int]):
    """Every operation, ``EXAMPLES`` generated cases each: what failed, one line a failure.
    Every other case of an operation on one object is sent to an object that exists
    (``known``: path → id), not only to the random ids that are all 404s."""
    failures: list[str] = []
    sent = iter(range(10**9))
    for result in schema.get_all_operations():
        operation = result.ok()

        @given(case=operation.as_strategy())
        @hypothesis_settings(
            max_examples=EXAMPLES,
            deadline=None,
            derandomize=True,
            database=None,
            phases=[Phase.explicit, Phase.generate],
            suppress_health_check=list(HealthCheck),
        )
        def run(case):
            headers = credentials.headers()
            for name in case.path_parameters or {}:
                if case.path in known and next(sent) % 2:
                    case.path_parameters[name] = known[case.path]
            response = case.call(headers=headers)
            statuses.add(response.status_code)
            try:
                case.validate_response(response, checks=CHECKS, headers=headers)
            except (AssertionError, BaseExceptionGroup) as exc:  # one failure, or several
                summary = " ".join(str(exc).split())[:700]
                failures.append(f"{case.method} {case.formatted_path}: {summary}")

        run()
    return failures


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CLERK])
def test_every_operation_answers_as_the_schema_says(
    area,
    users,
    role,
    journey,  # noqa: F811  (the fixture imported above)
    clerk,
    keep_connection,
):
    application = journey.apply(make_applicant(area, clerk, 1))
    known = {
        "/api/v1/applications/{id}/": application.pk,
        "/api/v1/applications/{id}/records/": application.pk,
        "/api/v1/applications/{id}/transition/": application.pk,
        "/api/v1/people/{id}/": application.person_id,
        "/api/v1/people/{id}/eligibility/": application.person_id,
        "/api/v1/posts/{id}/": application.post_id,
        "/api/v1/posts/{id}/transition/": application.post_id,
        "/api/v1/post-types/{id}/": application.post.post_type_id,
        "/api/v1/rounds/{id}/": journey.round_.pk,
        "/api/v1/rounds/{id}/close/": journey.round_.pk,
        "/api/v1/rounds/{id}/publish/": journey.round_.pk,
        "/api/v1/regions/{code}/": area.village.code,
    }
    statuses: set[int] = set()
    failures = failures_of(load_schema(), Credentials(users[role]), known, statuses)
    assert failures == []
    assert {200, 400, 404} <= statuses  # it reached real objects, not only refusals
