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
import os
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver, reverse
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import WaitlistEntry
from companies.models import Company, Invitation
from companies.services import invitation_token
from tests.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
)
from tests.second_factor import force_login_staff
from wnh import weekdays

pytestmark = pytest.mark.django_db

FUZZ_EXAMPLES = int(os.environ.get("WNH_FUZZ_EXAMPLES", "3"))
# Shrinking a failure to its smallest form can take minutes: on when asked for. The failing
# example's draws are printed either way, and derandomize makes it come back on every run.
PHASES = (
    [Phase.explicit, Phase.generate, Phase.shrink]
    if os.environ.get("WNH_FUZZ_SHRINK")
    else [Phase.explicit, Phase.generate]
)
FUZZ_SETTINGS = dict(
    deadline=None,
    derandomize=True,
    phases=PHASES,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
    database=None,
)
# Who is not staff meets the admin's login page on every admin address: a few will do.
ADMIN_FORM_PAGE = re.compile(r"admin:\w+_(add|change|delete|history)$")
ADMIN_FOR_EVERYONE = {"admin:index", "admin:login", "admin:bookings_occupancy_report"}
SENT = {"requests": 0}  # read by tests/security/conftest.py for the run's summary

# -- odd values ------------------------------------------------------------------------------

EDGES = [
    "",
    "0",
    "-1",
    "1",
    "²",
    "١٢",
    "٣",
    "9" * 30,
    "-" + "9" * 30,
    "1e308",
    "nan",
    "inf",
    "-inf",
    "0001-01-01",
    "9999-12-31",
    "0000-00-00",
    "2026-02-30",
    "2026-13-01",
    "0001-01",
    "9999-12",
    "2026-13",
    "2026-00",
    "2026-12-03",
    "2026-12",
    "4026-12-01",
    "99999-01-01",
    "\x00",
    "a\x00b",
    "%00",
    "../../etc/passwd",
    "<script>alert(1)</script>",
    "' OR 1=1 --",
    "x" * 3000,
    "true",
    "null",
    "[]",
    "{}",
    "any",
    "csv",
    "last",
    "KLM",
    "🙂",
    " ",
    "\u202e",
]
ODD = st.one_of(
    st.sampled_from(EDGES),
    st.integers(min_value=-(10**20), max_value=10**20).map(str),
    st.dates().map(str),
    st.text(max_size=30),
)

# Parameter names the portal's pages, the admin and allauth read, and a few made up.
PARAMS = [
    "month", "week", "day", "radius", "page", "first_day", "last_day", "centre", "size",
    "pod", "weekdays", "from", "to", "district", "format", "seat", "latitude", "longitude",
    "member", "from_day", "email", "role", "name", "contact_email", "gstin", "website",
    "pin_code", "locality", "language", "next", "welcome", "q", "o", "p", "e", "all", "when",
    "post_office", "towns",
    "status", "day__year", "day__month", "day__day", "first_day__year", "_changelist_filters",
    "_popup", "_to_field", "action", "_selected_action", "status__exact", "centre__id__exact",
    "pod__centre__id__exact", "login", "password", "key", "format", "lang",
]  # fmt: skip
QUERY = st.dictionaries(
    st.one_of(st.sampled_from(PARAMS), st.text(min_size=1, max_size=12)),
    st.lists(ODD, min_size=1, max_size=2),
    max_size=5,
)


# -- the URL patterns, from the resolver -----------------------------------------------------

GROUP = re.compile(r"\(\?P<(\w+)>[^)]*\)")
CONVERTER = re.compile(r"<(?:(\w+):)?(\w+)>")
# Regex patterns whose group stands for a whole remaining path.
CATCH_ALL = {"url"}


def url_templates() -> list[tuple[str, str]]:
    """(namespace:name or route, path template with {param} holes) for every pattern."""
    found = []

    def walk(resolver, prefix: str, namespace: str) -> None:
        for pattern in resolver.url_patterns:
            route = prefix + _template(str(pattern.pattern))
            if isinstance(pattern, URLResolver):
                inner = ":".join(filter(None, [namespace, pattern.namespace]))
                walk(pattern, route, inner)
            else:
                name = ":".join(filter(None, [namespace, pattern.name])) or route
                found.append((name, "/" + route))

    walk(get_resolver(), "", "")
    return found


def _template(raw: str) -> str:
    text = GROUP.sub(lambda m: "{" + m.group(1) + "}", raw)
    text = CONVERTER.sub(lambda m: "{" + m.group(2) + "}", text)
    return text.removeprefix("^").removesuffix("$").replace("\\", "")


HOLE = re.compile(r"{(\w+)}")


def holes(template: str) -> list[str]:
    return HOLE.findall(template)


# -- the world the fuzz runs in --------------------------------------------------------------


@pytest.fixture
def world(today, next_open_day):
    centre = CentreFactory(name="Fuzz Centre")
    pod = PodFactory(centre=centre, capacity=4)
    company = CompanyFactory(name="Fuzz Co")
    company_admin = MembershipFactory(company=company, role="admin").user
    member = MembershipFactory(company=company).user
    pending = CompanyFactory(name="Pending Co", status=Company.Status.PENDING)
    MembershipFactory(company=pending, role="admin", user=company_admin)
    reservation = request_pod_reservation(
        company=company,
        pod=PodFactory(centre=centre, capacity=4),
        first_day=next_open_day,
        last_day=next_open_day + timedelta(days=6),
        weekday_mask=weekdays.ALL_DAYS,
        requested_by=company_admin,
    )
    staff = UserFactory(email="fuzz-staff@kdisc.example", is_staff=True, is_superuser=True)
    confirm_pod_reservation(reservation=reservation, decided_by=staff)
    professional = UserFactory(email="fuzz-pro@example.com")
    booking = book_seat(user=professional, seat=pod.seats.first(), day=next_open_day)
    invitation = Invitation.objects.create(
        company=company, email="new@example.com", invited_by=company_admin
    )
    entry = WaitlistEntry.objects.create(user=professional, centre=centre, day=next_open_day)
    from allauth.mfa.models import Authenticator

    from bookings.centre_pages.check_in_codes import link_token, step_at
    from tests.second_factor import give_totp

    give_totp(staff)
    staff_authenticator = Authenticator.objects.get(user=staff)

    companies = {"slug": company.slug}
    values = {
        "booking_id": booking.pk,
        "entry_id": entry.pk,
        "membership_id": member.memberships.get().pk,
        "invitation_id": invitation.pk,
        "reservation_id": reservation.pk,
        "object_id": booking.pk,
        "id": professional.pk,
        "content_type_id": 1,
        "day": next_open_day.isoformat(),
        "app_label": "bookings",
        "uidb36": "1",
        "key": "abc",
        "url": "nothing/here/",
        "name": "confirm",  # a decision on an admin object's page
        "pk": staff_authenticator.pk,  # a second factor's page (allauth.mfa's security keys)
    }
    tokens = {
        "centres": link_token(centre, step_at()),
        "companies": invitation_token(invitation),
        "bookings": professional.calendar_token,
    }
    return {
        "people": {
            "anonymous": None,
            "professional": professional,
            "company admin": company_admin,
            "staff": staff,
        },
        "slugs": {"centres": centre.slug, "waitlist": centre.slug, "companies": companies["slug"]},
        "tokens": tokens,
        "values": values,
    }


def real_value(world, name: str, hole: str) -> str:
    namespace = name.split(":")[0]
    if hole == "slug":
        return world["slugs"].get(namespace, world["slugs"]["centres"])
    if hole == "token":
        return world["tokens"].get(namespace, "abc")
    return str(world["values"][hole])


def path_value(world, name: str, hole: str):
    """A real id or slug mostly; now and then an odd one the route's converter still takes."""
    odd = st.sampled_from(["0", "9" * 25, "x", "-", "²", "%00", "a" * 300])
    return st.one_of(
        st.just(real_value(world, name, hole)), st.just(real_value(world, name, hole)), odd
    )


def build(data, world, name: str, template: str) -> str:
    path = template
    for hole in holes(template):
        value = data.draw(path_value(world, name, hole), label=f"{name} {hole}")
        path = path.replace("{" + hole + "}", value, 1)
    return path


def answer(client: Client, method: str, path: str, params: dict, **extra):
    SENT["requests"] += 1
    if method == "get":
        return client.get(path, params, **extra)
    return client.post(path, params, **extra)


def is_page_of_ours(name: str) -> bool:
    return not name.startswith(("admin:", "account_", "set_language")) and "logout" not in name


PERSONS = ["anonymous", "professional", "company admin", "staff"]


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


# -- the admin's forms: add, change, delete and history of every registered model -----------

ADMIN_VIEWS = ["add", "change", "delete", "history"]
ODD_IDS = ["0", "-1", "9" * 25, "x", "%00", "a" * 300, "_5F", "1.5", "²", " ", "1%2F2", "null"]
ADMIN_PARAMS = [
    "_changelist_filters", "_to_field", "_popup", "o", "p", "q", "e", "all", "_facets",
    "day__year", "day__month", "day__day", "first_day__year", "first_day__month",
    "status__exact", "when", "centre__id__exact", "pod__centre__id__exact",
]  # fmt: skip
# What the admin's list hands its forms to come back to: a list's own odd query string.
CHANGELIST_FILTERS = st.dictionaries(
    st.sampled_from(ADMIN_PARAMS[3:]), ODD.map(lambda v: v[:40]), max_size=3
).map(lambda query: _encode(query))
BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew", "post", "_popup", "_to_field"]


def admin_query(data, model):
    names = [field.name for field in model._meta.fields] + ["password", "x"]
    query = data.draw(
        st.dictionaries(st.sampled_from(ADMIN_PARAMS), st.lists(ODD, min_size=1, max_size=2))
        | st.just({}),
        label="admin query",
    )
    if data.draw(st.booleans()):
        query["_changelist_filters"] = data.draw(CHANGELIST_FILTERS)
    if data.draw(st.booleans()):
        query["_to_field"] = data.draw(st.sampled_from(names) | ODD)
    return query


def admin_body(data, model):
    """The model's own field names (and a formset's management form), with odd values."""
    names = [field.name for field in model._meta.get_fields() if field.concrete]
    names += ["password1", "password2", "regtask", "INITIAL_FORMS", "TOTAL_FORMS"]
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=6, unique=True))
    body = {name: data.draw(st.lists(ODD, min_size=1, max_size=2)) for name in chosen}
    body.update(dict.fromkeys(data.draw(st.lists(st.sampled_from(BUTTONS), max_size=2)), "1"))
    return body


@pytest.fixture
def admin_world(world):
    from tests.admin.objects import make_every_kind_of_object

    rows = make_every_kind_of_object(staff_user=world["people"]["staff"])
    rows["accounts.User"] = world["people"]["professional"]  # not the superuser fuzzing
    return rows


def test_no_request_to_the_admins_forms_makes_the_admin_answer_5xx(world, admin_world):
    """Every registered model's add, change, delete and history page, as a superuser with a
    second factor: real ids and odd ones, the list's return parameters, garbage POST bodies.
    A real row's delete page is only looked at (a POST of anything there deletes it)."""
    from django.contrib import admin

    superuser = world["people"]["staff"]
    pages = []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        row = admin_world.get(model._meta.label) or model._default_manager.order_by("pk").first()
        real = str(row.pk) if row is not None else "1"
        opts = model._meta
        for view in ADMIN_VIEWS:
            pages.append((model, view, f"admin:{opts.app_label}_{opts.model_name}_{view}", real))

    @settings(max_examples=FUZZ_EXAMPLES, **FUZZ_SETTINGS)
    @given(data=st.data())
    def fuzz(data):
        client = force_login_staff(Client(), superuser)
        for model, view, name, real in pages:
            object_id = data.draw(st.sampled_from([real, real] + ODD_IDS), label=name)
            if view == "add":
                path = reverse(name)
            else:
                path = reverse(name, args=["0"]).replace("/0/", f"/{object_id}/", 1)
            query = admin_query(data, model)
            method = data.draw(st.sampled_from(["get", "post"]), label=f"{name} method")
            if method == "post" and view == "delete" and object_id == real:
                method = "get"
            if method == "get":
                response = answer(client, "get", path, query)
            else:
                SENT["requests"] += 1
                response = client.post(f"{path}?{_encode(query)}", admin_body(data, model))
            assert response.status_code < 500, (method, path, query, response.status_code)

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
            kind = response["Content-Type"]
            assert kind.startswith(("application/json", "application/vnd.oai.openapi")), kind

    fuzz()


def _encode(query: dict) -> str:
    from django.utils.http import urlencode

    return urlencode(query, doseq=True)
