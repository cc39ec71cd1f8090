"""schemathesis against the /api/v1/ schema, in-process (WSGI) on seeded data: every operation
with data its schema allows (and its negative cases), as a professional and as a company
admin, each with a personal token. No answer may be a 5xx, and every answer must be one the
schema lists, with the content type, headers and body it describes.

The path's slug is the seeded centre's or company's most of the time, so the requests reach
past the 404 of an unknown slug into the views' own rules.
"""

import pytest
import schemathesis
from django.core.handlers.wsgi import WSGIHandler
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.generation.modes import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from bookings.api.tokens import create_token
from tests.support.personas import reserve

pytestmark = [pytest.mark.django_db]

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]


@pytest.fixture
def api_v1_schema(db):
    # As Django's test client does: a request's end must not close the test's connection (its
    # transaction holds the seeded data).
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/schema/?format=json", WSGIHandler()).include(
            path_regex=r"^/api/v1/"
        )
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


def seed(
    person,
    company_a,
    admin_a,
    member_a,
    pod_a,
    staff_user,
    fortnight,
    settings,
):
    """Company A with its admin, a member and a pod reserved for a fortnight; `person`'s token."""
    settings.WEBHOOKS_ALLOW_INSECURE = settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    reserve(
        company=company_a,
        admin=admin_a,
        pod=pod_a,
        first=fortnight[0],
        last=fortnight[1],
        staff=staff_user,
    )
    return {
        "token": create_token(user=person, name="schemathesis")[1],
        "centre": pod_a.centre.slug,
        "company": company_a.slug,
    }


@pytest.fixture
def as_professional(
    professional, company_a, admin_a, member_a, pod_a, staff_user, fortnight, settings
):
    return seed(professional, company_a, admin_a, member_a, pod_a, staff_user, fortnight, settings)


@pytest.fixture
def as_company_admin(company_a, admin_a, member_a, pod_a, staff_user, fortnight, settings):
    return seed(admin_a, company_a, admin_a, member_a, pod_a, staff_user, fortnight, settings)


HYPOTHESIS = settings(
    max_examples=6, deadline=None, derandomize=True, suppress_health_check=list(HealthCheck)
)


def run_every_operation(schema, seeded) -> int:
    """Each operation's positive and negative cases, sent with the person's token. Returns
    how many operations ran (the test checks none was left out)."""
    operations = [result.ok() for result in schema.get_all_operations()]
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

            @HYPOTHESIS
            @given(case=operation.as_strategy(generation_mode=mode))
            def send(case):
                slug = (case.path_parameters or {}).get("slug")
                if slug is not None and not slug.startswith("z"):  # mostly a real slug
                    kind = "company" if "/companies/" in case.path else "centre"
                    case.path_parameters["slug"] = seeded[kind]
                case.call_and_validate(
                    headers={
                        "Authorization": f"Token {seeded['token']}",
                        "Accept-Encoding": "identity",
                    },
                    checks=CHECKS,
                )

            try:
                send()
            except Unsatisfiable:
                # Nothing of this operation can be made invalid (no parameters, no body).
                assert mode == GenerationMode.NEGATIVE, operation.label
    return len(operations)


def v1_operations() -> int:
    """The operations the schema lists under /api/v1/, counted from its JSON."""
    paths = Client().get("/api/schema/", {"format": "json"}).json()["paths"]
    methods = ("get", "post", "put", "patch", "delete")
    return sum(
        method in methods
        for path, ops in paths.items()
        if path.startswith("/api/v1/")
        for method in ops
    )


def test_as_a_professional_every_v1_operation_answers_as_its_schema_says(
    api_v1_schema, as_professional
):
    assert run_every_operation(api_v1_schema, as_professional) == v1_operations()


def test_as_a_company_admin_every_v1_operation_answers_as_its_schema_says(
    api_v1_schema, as_company_admin
):
    assert run_every_operation(api_v1_schema, as_company_admin) == v1_operations()
