"""A fuzz of every URL's query parameters and of the API: no answer may be a 5xx.

Every URL pattern comes from the URL resolver, so a new page is fuzzed the day it is added
(and a pattern the fuzz cannot build a path for fails the test, naming it). For each
pattern, each example sends one GET with odd query parameters (dates at the ends of the
calendar, months and weeks that are none, huge and negative and non-ASCII numbers, NUL
bytes, long strings, lists of values) and, outside the admin and allauth, one POST with
the same values as form data; the path's own parameters are real ids and slugs or odd
values. The API is also fuzzed from its own schema (/api/schema/): every operation, with
bodies built from its request schema and odd JSON. It runs as four people: anonymous, a
professional, a company admin and K-DISC staff. The admin's add, change, delete and
history pages of every registered model have a fuzz of their own, as a superuser with a
second factor: real and odd ids, the list's return parameters (_changelist_filters,
_to_field, _popup, o, p, q, the date hierarchy's), garbage POST bodies.

The budget is bounded (FUZZ_EXAMPLES examples per person, derandomized so CI is
reproducible; WNH_FUZZ_EXAMPLES=50 digs deeper locally). The number of requests sent is
printed at the end of the run.
"""

import json

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fuzz import (
    ADMIN_FOR_EVERYONE,
    ADMIN_FORM_PAGE,
    FUZZ_EXAMPLES,
    FUZZ_SETTINGS,
    ODD,
    PERSONS,
    QUERY,
    SENT,
    _encode,
    answer,
    build,
    holes,
    is_page_of_ours,
    url_templates,
)
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("person", PERSONS)
def test_no_query_parameters_make_any_page_answer_5xx(world, person):
    templates = url_templates()
    # Every pattern gets a path: a hole the fuzz cannot fill is a new URL to teach it.
    unknown = {
        (name, hole)
        for name, template in templates
        for hole in holes(template)
        if hole not in world["values"] and hole not in ("slug", "token")
    }
    assert not unknown, f"teach the fuzz these path parameters: {sorted(unknown)}"
    user = world["people"][person]

    if not (user and user.is_staff):
        templates = [
            (name, template)
            for name, template in templates
            if not name.startswith("admin:") or name in ADMIN_FOR_EVERYONE
        ]
    else:  # the admin's lists here; its forms in test_no_request_to_the_admins_forms_...
        templates = [
            (name, template)
            for name, template in templates
            if not ADMIN_FORM_PAGE.match(name) and not name.startswith("/admin/")
        ]

    # A few patterns an example: one example drawing for all of them outgrows Hypothesis's
    # buffer, and an example that overruns it is thrown away and drawn again (ten times the
    # requests, for the same three examples).
    for start in range(0, len(templates), PATTERNS_PER_EXAMPLE):
        fuzz_pages(world, user, templates[start : start + PATTERNS_PER_EXAMPLE])


PATTERNS_PER_EXAMPLE = 12


def fuzz_pages(world, user, templates):
    @settings(max_examples=FUZZ_EXAMPLES, **FUZZ_SETTINGS)
    @given(data=st.data())
    def fuzz(data):
        client = Client()
        if user is not None:
            force_login_staff(client, user)
        for name, template in templates:
            path = build(data, world, name, template)
            params = data.draw(QUERY, label=f"{name} query")
            htmx = {"HTTP_HX_REQUEST": "true"} if data.draw(st.booleans()) else {}
            response = answer(client, "get", path, params, **htmx)
            assert response.status_code < 500, (path, params, response.status_code)
            if is_page_of_ours(name):
                response = answer(client, "post", path, params, **htmx)
                assert response.status_code < 500, ("POST", path, params, response.status_code)

    fuzz()


# -- the API from its schema -----------------------------------------------------------------

JSON_VALUES = st.recursive(
    st.one_of(
        st.none(),
        st.booleans(),
        st.integers(min_value=-(2**70), max_value=2**70),
        st.floats(allow_nan=False, allow_infinity=False),
        ODD,
    ),
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
BOOL = st.booleans()
CONTENT_TYPES = st.sampled_from(
    ["application/json"] * 4 + ["text/plain", "application/x-www-form-urlencoded"]
)
RAW_BODIES = st.sampled_from(
    ["", "{", "[" * 30 + "]" * 30, "null", "[]", '"text"', "{}", "\x00", "1" * 70_000]
)


def operations(schema: dict) -> list[tuple[str, str, dict]]:
    return [
        (path, method, operation)
        for path, methods in schema["paths"].items()
        for method, operation in methods.items()
        if method in ("get", "post", "put", "patch", "delete")
    ]


def body_for(data, operation: dict, schema: dict):
    content = operation.get("requestBody", {}).get("content", {})
    ref = content.get("application/json", {}).get("schema", {}).get("$ref", "")
    properties = (
        schema["components"]["schemas"].get(ref.rsplit("/", 1)[-1], {}).get("properties", {})
    )
    kind = data.draw(st.sampled_from(["fields", "json", "raw"]))
    if kind == "raw":
        return data.draw(RAW_BODIES)
    if kind == "json":
        return json.dumps(data.draw(JSON_VALUES))
    fields = {name: data.draw(JSON_VALUES | st.just("centre")) for name in properties}
    return json.dumps(fields)


@pytest.mark.parametrize("person", PERSONS)
def test_no_request_the_api_schema_allows_or_not_makes_the_api_answer_5xx(world, person):
    user = world["people"][person]
    schema = json.loads(Client().get(reverse("api-schema"), {"format": "json"}).content)
    ops = operations(schema)
    assert len(ops) >= 4

    @settings(max_examples=FUZZ_EXAMPLES * 8, **FUZZ_SETTINGS)
    @given(data=st.data())
    def fuzz(data):
        client = Client()
        if user is not None:
            force_login_staff(client, user)
        for path, method, operation in ops:
            filled = path
            for parameter in operation.get("parameters", []):
                if parameter["in"] == "path":
                    real = str(world["values"].get(parameter["name"], "1"))
                    value = data.draw(st.sampled_from([real, real, "0", "9" * 25]))
                    filled = filled.replace("{" + parameter["name"] + "}", value)
            query = {
                parameter["name"]: data.draw(ODD)
                for parameter in operation.get("parameters", [])
                if parameter["in"] == "query" and data.draw(st.booleans())
            }
            query.update(data.draw(QUERY))
            if method == "get":
                response = answer(client, "get", filled, query)
            else:
                body = body_for(data, operation, schema)
                headers = (
                    {"HTTP_IDEMPOTENCY_KEY": data.draw(ODD)} if data.draw(st.booleans()) else {}
                )
                SENT["requests"] += 1
                response = client.generic(
                    method.upper(),
                    f"{filled}?{_encode(query)}",
                    body,
                    content_type=data.draw(
                        st.sampled_from(
                            ["application/json"] * 4
                            + ["text/plain", "application/x-www-form-urlencoded"]
                        )
                    ),
                    **headers,
                )
            assert response.status_code < 500, (method, filled, response.status_code)
            if response.status_code == 204:  # No Content: a revoke has nothing to say
                assert not response.content
                continue
            kind = response["Content-Type"]
            assert kind.startswith(("application/json", "application/vnd.oai.openapi")), kind

    fuzz()
