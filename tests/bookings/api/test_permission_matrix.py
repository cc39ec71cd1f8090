"""Every /api/v1/ endpoint and method against every role, in one table: the status each gets.

Writes are sent with an empty body (a role that may write is told what is missing: 400) or
aimed at company B's and member B's things (a role of company A finds nothing: 404), so the
table tests who gets through without writing anything, and every case ends by checking that
nothing of company B or of its member changed.

Roles: anonymous; a professional with no company; company A's member and admin; company B's
admin; company A's tokens of each scope (made by A's admin); a revoked token; K-DISC staff
without and with a second factor in their session.
"""

import pytest
from django.test import Client
from django.urls import reverse

from bookings.api.tokens import create_token, revoke_token
from bookings.models import PodReservation, SeatBooking, WaitlistEntry
from companies.models import ApiToken, Membership, WebhookDelivery, WebhookEndpoint
from tests.support.factories import SeatBookingFactory
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db

ROLES = [
    "anonymous",
    "professional",
    "member A",
    "admin A",
    "admin B",
    "token A read",
    "token A book",
    "token A reserve",
    "revoked token",
    "staff, no 2nd factor",
    "staff",
]

# endpoint: (method, path template, the status of each role in ROLES' order)
# ({a}: company A's slug, {b}: company B's, {centre}: the centre, {booking}: member B's booking,
# {membership_b}: member B's membership, {reservation_b}: company B's reservation)
# fmt: off
MATRIX = {
    "centres near":        ("get", "/api/v1/centres/",                       [401, 200, 200, 200, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "a centre":            ("get", "/api/v1/centres/{centre}/",              [200, 200, 200, 200, 200, 200, 200, 200, 401, 403, 200]),  # noqa: E501
    "seat map":            ("get", "/api/v1/centres/{centre}/seat-map/",     [401, 200, 200, 200, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "my bookings":         ("get", "/api/v1/bookings/",                      [401, 200, 200, 200, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "book days":           ("post", "/api/v1/bookings/days/",                [401, 400, 400, 400, 400, 403, 403, 403, 401, 403, 400]),  # noqa: E501
    "cancel B's booking":  ("post", "/api/v1/bookings/{booking}/cancel/",    [401, 404, 404, 404, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "my tokens":           ("get", "/api/v1/tokens/",                        [401, 200, 200, 200, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "make a token":        ("post", "/api/v1/tokens/",                       [401, 400, 400, 400, 400, 403, 403, 403, 401, 403, 400]),  # noqa: E501
    "my companies":        ("get", "/api/v1/companies/",                     [401, 200, 200, 200, 200, 200, 200, 200, 401, 403, 200]),  # noqa: E501
    "A's members":         ("get", "/api/v1/companies/{a}/members/",         [401, 404, 403, 200, 404, 200, 200, 200, 401, 403, 404]),  # noqa: E501
    "B's members":         ("get", "/api/v1/companies/{b}/members/",         [401, 404, 404, 404, 200, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "remove B's member":   ("delete", "/api/v1/companies/{a}/members/{membership_b}/", [401, 404, 403, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "invite to A":         ("post", "/api/v1/companies/{a}/invitations/",    [401, 404, 403, 400, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "A's reservations":    ("get", "/api/v1/companies/{a}/reservations/",    [401, 404, 403, 200, 404, 200, 200, 200, 401, 403, 404]),  # noqa: E501
    "reserve for A":       ("post", "/api/v1/companies/{a}/reservations/",   [401, 404, 403, 400, 404, 403, 403, 400, 401, 403, 404]),  # noqa: E501
    "cancel B's reservation": ("post", "/api/v1/companies/{a}/reservations/{reservation_b}/cancel/", [401, 404, 403, 404, 404, 403, 403, 404, 401, 403, 404]),  # noqa: E501
    "free pods for A":     ("get", "/api/v1/companies/{a}/free-pods/",       [401, 404, 403, 400, 404, 400, 400, 400, 401, 403, 404]),  # noqa: E501
    "seat for A's member": ("post", "/api/v1/companies/{a}/seat-assignments/", [401, 404, 403, 400, 404, 403, 400, 403, 401, 403, 404]),  # noqa: E501
    "A's statement":       ("get", "/api/v1/companies/{a}/statement/",       [401, 404, 403, 200, 404, 200, 200, 200, 401, 403, 404]),  # noqa: E501
    "A's tokens":          ("get", "/api/v1/companies/{a}/tokens/",          [401, 404, 403, 200, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "make A a token":      ("post", "/api/v1/companies/{a}/tokens/",         [401, 404, 403, 400, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "A's webhooks":        ("get", "/api/v1/companies/{a}/webhooks/",        [401, 404, 403, 200, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "add A a webhook":     ("post", "/api/v1/companies/{a}/webhooks/",       [401, 404, 403, 400, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "delete B's webhook":  ("delete", "/api/v1/companies/{a}/webhooks/{webhook_b}/", [401, 404, 403, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "test B's webhook":    ("post", "/api/v1/companies/{a}/webhooks/{webhook_b}/test/", [401, 404, 403, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "B's deliveries":      ("get", "/api/v1/companies/{a}/webhooks/{webhook_b}/deliveries/", [401, 404, 403, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "B's webhooks":        ("get", "/api/v1/companies/{b}/webhooks/",        [401, 404, 404, 404, 200, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "check in":            ("post", "/api/v1/centres/{centre}/check-in/",    [401, 400, 400, 400, 400, 403, 403, 403, 401, 403, 400]),  # noqa: E501
    "my waitlist":         ("get", "/api/v1/waitlist/",                      [401, 200, 200, 200, 200, 403, 403, 403, 401, 403, 200]),  # noqa: E501
    "join a waitlist":     ("post", "/api/v1/waitlist/",                     [401, 400, 400, 400, 400, 403, 403, 403, 401, 403, 400]),  # noqa: E501
    "leave B's place":     ("delete", "/api/v1/waitlist/{waitlist_b}/",      [401, 404, 404, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
    "take B's offer":      ("post", "/api/v1/waitlist/{waitlist_b}/accept/", [401, 404, 404, 404, 404, 403, 403, 403, 401, 403, 404]),  # noqa: E501
}
# fmt: on


@pytest.fixture
def world(
    centre,
    company_a,
    admin_a,
    member_a,
    company_b,
    admin_b,
    member_b,
    reservation_b,
    staff_user,
    professional,
    next_open_day,
):
    booking = SeatBookingFactory(
        user=member_b, seat=reservation_b.pod.seats.first(), day=next_open_day, company=company_b
    )
    _row, revoked = create_token(user=professional, name="gone")
    revoke_token(user=professional, token_key=_row.token_key)
    tokens = {
        f"token A {scope}": create_token(user=admin_a, company=company_a, scope=scope, name=scope)[
            1
        ]
        for scope in ApiToken.Scope.values
    }
    tokens["revoked token"] = revoked
    people = {
        "professional": professional,
        "member A": member_a,
        "admin A": admin_a,
        "admin B": admin_b,
        "staff": staff_user,
    }
    values = {
        "a": company_a.slug,
        "b": company_b.slug,
        "centre": centre.slug,
        "booking": booking.pk,
        "membership_b": Membership.objects.get(user=member_b).pk,
        "reservation_b": reservation_b.pk,
        "waitlist_b": WaitlistEntry.objects.create(
            user=member_b, centre=centre, day=next_open_day
        ).pk,
        "webhook_b": WebhookEndpoint.objects.create(
            company=company_b,
            url="https://hr.b.example/wnh",
            secret="whsec_b",
            event_types=["member.left"],
        ).pk,
    }
    return {"people": people, "tokens": tokens, "values": values, "staff": staff_user}


def client_as(role: str, world) -> tuple[Client, dict]:
    client = Client()
    if role in world["tokens"]:
        return client, {"HTTP_AUTHORIZATION": f"Token {world['tokens'][role]}"}
    if role == "staff, no 2nd factor":
        client.force_login(world["staff"])
    elif role in world["people"]:
        force_login_staff(client, world["people"][role])
    return client, {}


def company_b_as_it_was(world) -> tuple:
    return (
        sorted(SeatBooking.objects.values_list("pk", "status")),
        sorted(PodReservation.objects.values_list("pk", "status", "last_day")),
        sorted(Membership.objects.values_list("pk", "company_id", "role")),
        sorted(WebhookEndpoint.objects.values_list("pk", "url", "is_active")),
        sorted(WaitlistEntry.objects.values_list("pk", "status")),
        WebhookDelivery.objects.count(),
    )


@pytest.mark.parametrize("endpoint", MATRIX)
def test_each_role_gets_what_the_table_says(world, endpoint, next_open_day):
    """One endpoint, every role in turn (the one write a role may make is undone after it)."""
    method, template, expected = MATRIX[endpoint]
    path = template.format(**world["values"])
    query = {"day": next_open_day.isoformat()} if endpoint == "seat map" else {}
    got, leaks = [], []
    for role in ROLES:
        client, headers = client_as(role, world)
        before = company_b_as_it_was(world)
        if method == "get":
            answer = client.get(path, query, **headers)
        else:
            answer = getattr(client, method)(path, {}, content_type="application/json", **headers)
        got.append(answer.status_code)
        # Staff may cancel a booking at a centre in their scope; B's admin one in B's pod.
        allowed = role in ("staff", "admin B") and endpoint == "cancel B's booking"
        if not allowed and company_b_as_it_was(world) != before:
            leaks.append(f"{role} changed company B's rows")
        body = answer.content.decode(errors="replace")
        b_things = ("admin@b.example", "member@b.example", "whsec_b", "hr.b.example")
        if role != "admin B" and any(thing in body for thing in b_things):
            leaks.append(f"{role} was shown company B's people or webhooks")
        if allowed:
            SeatBooking.objects.filter(pk=world["values"]["booking"]).update(
                status=SeatBooking.Status.BOOKED, cancelled_at=None
            )
    wrong = {
        role: (want, had)
        for role, want, had in zip(ROLES, expected, got, strict=True)
        if want != had
    }
    assert not wrong, f"role: (expected, got) {wrong}"
    assert not leaks


def test_the_table_covers_every_v1_operation():
    """A new endpoint must get its row here."""
    from django.urls import get_resolver

    patterns = {
        str(p.pattern)
        for p in get_resolver().url_patterns
        if str(p.pattern) == "api/v1/" and hasattr(p, "url_patterns")
        for p in p.url_patterns
    }
    covered = {template.removeprefix("/api/v1/") for _m, template, _s in MATRIX.values()}
    covered = {
        c.replace("{a}", "<slug:slug>")
        .replace("{b}", "<slug:slug>")
        .replace("{centre}", "<slug:slug>")
        .replace("{booking}", "<int:booking_id>")
        .replace("{membership_b}", "<int:membership_id>")
        .replace("{reservation_b}", "<int:reservation_id>")
        .replace("{webhook_b}", "<int:endpoint_id>")
        .replace("{waitlist_b}", "<int:entry_id>")
        for c in covered
    }
    missing = (
        patterns
        - covered
        - {"companies/<slug:slug>/tokens/<str:token_key>/", "tokens/<str:token_key>/"}
    )
    assert not missing, f"add these to MATRIX: {sorted(missing)}"
    assert reverse("api-v1-centres") == "/api/v1/centres/"
