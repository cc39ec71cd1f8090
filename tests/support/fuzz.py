"""What the fuzz tests share: odd values, the URL patterns from the resolver, the world they
run in (a centre, companies, bookings, people of every kind) and the count of requests sent
(the run's summary line, tests/conftest.py). The tests: tests/wnh/test_fuzz.py (every page
and the API) and tests/bookings/admin/test_admin_fuzz.py (the admin's forms)."""

import os
import re
from datetime import timedelta

import pytest
from django.test import Client
from django.urls import URLResolver, get_resolver
from hypothesis import HealthCheck, Phase
from hypothesis import strategies as st

from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_seat
from bookings.models import WaitlistEntry
from companies import webhooks
from companies.models import Company, Invitation, WebhookEndpoint
from companies.services import invitation_token
from tests.support.factories import (
    CentreFactory,
    CompanyFactory,
    MembershipFactory,
    PodFactory,
    UserFactory,
)
from wnh import weekdays

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
SENT = {"requests": 0}  # read by tests/conftest.py for the run's summary

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
    endpoint = WebhookEndpoint.objects.create(
        company=company,
        url="https://hr.fuzz.example/wnh",
        secret="whsec_" + "f" * 64,
        event_types=list(webhooks.EVENT_TYPES),
        created_by=company_admin,
    )
    delivery = webhooks.send_test_event(endpoint=endpoint)
    from allauth.mfa.models import Authenticator

    from bookings.api.tokens import create_token
    from bookings.core.check_in_codes import link_token, step_at
    from tests.support.second_factor import give_totp

    api_token, _secret = create_token(user=professional, name="fuzz")
    give_totp(staff)
    staff_authenticator = Authenticator.objects.get(user=staff)

    companies = {"slug": company.slug}
    values = {
        "booking_id": booking.pk,
        "entry_id": entry.pk,
        "membership_id": member.memberships.get().pk,
        "invitation_id": invitation.pk,
        "reservation_id": reservation.pk,
        "endpoint_id": endpoint.pk,
        "delivery_id": delivery.pk,
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
        "token_key": api_token.token_key,  # an API token's revocation
        "month": next_open_day.strftime("%Y-%m"),  # an open-data month's file
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


def _encode(query: dict) -> str:
    from django.utils.http import urlencode

    return urlencode(query, doseq=True)
