"""A company through the API: its admins (in person or by a company token of a scope) see its
members, invite, reserve pods, put members on seats and read the statement; the same rules as
the company pages decide, and a company token reaches nothing else."""

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from bookings.api.tokens import create_token
from bookings.models import PodReservation, SeatBooking
from companies.models import ApiToken, Invitation, Membership
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


def bearer(token: str) -> dict:
    return {"HTTP_AUTHORIZATION": f"Token {token}"}


def signed_in(user) -> Client:
    client = Client()
    force_login_staff(client, user)
    return client


def company_token(admin, company, scope: str) -> str:
    return create_token(user=admin, company=company, scope=scope, name=scope)[1]


def url(name: str, company, **kwargs) -> str:
    return reverse(name, kwargs={"slug": company.slug, **kwargs})


def test_an_admin_sees_the_members_a_member_is_refused_and_a_stranger_finds_nothing(
    company_a, admin_a, member_a, admin_b
):
    listed = signed_in(admin_a).get(url("api-v1-members", company_a))
    assert listed.status_code == 200
    assert sorted(row["email"] for row in listed.json()["results"]) == [
        "admin@a.example",
        "member@a.example",
    ]
    assert signed_in(member_a).get(url("api-v1-members", company_a)).status_code == 403
    assert signed_in(admin_b).get(url("api-v1-members", company_a)).status_code == 404


def test_my_companies_lists_mine_with_my_role(company_a, admin_a, company_b, admin_b):
    MembershipFactory = Membership.objects.create
    MembershipFactory(company=company_b, user=admin_a, role="member")
    rows = signed_in(admin_a).get(reverse("api-v1-companies")).json()
    assert [(row["slug"], row["role"]) for row in rows] == [
        (company_a.slug, "admin"),
        (company_b.slug, "member"),
    ]
    token = company_token(admin_a, company_a, ApiToken.Scope.READ)
    seen = Client().get(reverse("api-v1-companies"), **bearer(token)).json()
    assert [row["slug"] for row in seen] == [company_a.slug]


def test_an_invitation_is_sent_once_for_one_idempotency_key(
    company_a, admin_a, django_capture_on_commit_callbacks
):
    client = signed_in(admin_a)
    for _attempt in range(2):
        with django_capture_on_commit_callbacks(execute=True):
            sent = client.post(
                url("api-v1-invitations", company_a),
                {"email": "new@a.example", "role": "member"},
                content_type="application/json",
                HTTP_IDEMPOTENCY_KEY="invite-new-1",
            )
        assert sent.status_code == 201, sent.content
    assert Invitation.objects.filter(company=company_a).count() == 1
    assert len(mail.outbox) == 1
    assert "token" not in sent.json()
    bad = client.post(
        url("api-v1-invitations", company_a),
        {"email": "not an email"},
        content_type="application/json",
    )
    assert bad.status_code == 400
    assert "email" in bad.json()["errors"]


def test_a_reserve_token_finds_a_free_pod_reserves_it_and_gives_up_days(
    company_a, admin_a, pod_a, fortnight
):
    token = company_token(admin_a, company_a, ApiToken.Scope.RESERVE)
    client = Client()
    first, last = fortnight
    free = client.get(
        url("api-v1-free-pods", company_a),
        {
            "centre": pod_a.centre_id,
            "first_day": first,
            "last_day": last,
            "weekdays": [0, 1, 2, 3, 4],
        },
        **bearer(token),
    )
    assert free.status_code == 200, free.content
    assert [row["pod_id"] for row in free.json() if row["free"]] == [pod_a.pk]

    asked = client.post(
        url("api-v1-reservations", company_a),
        {
            "centre": pod_a.centre_id,
            "pod": pod_a.pk,
            "first_day": first.isoformat(),
            "last_day": last.isoformat(),
            "weekdays": [0, 1, 2, 3, 4, 5, 6],
        },
        content_type="application/json",
        **bearer(token),
    )
    assert asked.status_code == 201, asked.content
    reservation = PodReservation.objects.get(company=company_a)
    assert asked.json()["id"] == reservation.pk
    listed = client.get(url("api-v1-reservations", company_a), **bearer(token)).json()
    assert [row["id"] for row in listed["results"]] == [reservation.pk]

    given_up = client.post(
        url("api-v1-reservation-cancel", company_a, reservation_id=reservation.pk),
        {"from_day": first.isoformat()},
        content_type="application/json",
        **bearer(token),
    )
    assert given_up.status_code == 200, given_up.content
    reservation.refresh_from_db()
    assert reservation.status == PodReservation.Status.CANCELLED


def test_a_book_token_puts_a_member_on_a_seat_of_the_company_pod_and_a_read_token_cannot(
    company_a, admin_a, member_a, pod_a, reservation_a, fortnight
):
    member = Membership.objects.get(user=member_a)
    seat = pod_a.seats.get(position=1)
    body = {
        "member": member.pk,
        "seat": seat.pk,
        "first_day": fortnight[0].isoformat(),
        "last_day": fortnight[0].isoformat(),
    }
    read = company_token(admin_a, company_a, ApiToken.Scope.READ)
    refused = Client().post(
        url("api-v1-seat-assignments", company_a),
        body,
        content_type="application/json",
        **bearer(read),
    )
    assert refused.status_code == 403
    assert not SeatBooking.objects.exists()

    book = company_token(admin_a, company_a, ApiToken.Scope.BOOK)
    booked = Client().post(
        url("api-v1-seat-assignments", company_a),
        body,
        content_type="application/json",
        **bearer(book),
    )
    assert booked.status_code == 201, booked.content
    assert SeatBooking.objects.get().user == member_a


def test_the_statement_comes_as_json_and_as_the_page_s_csv(company_a, admin_a, today):
    token = company_token(admin_a, company_a, ApiToken.Scope.READ)
    month = today.strftime("%Y-%m")
    answer = Client().get(url("api-v1-statement", company_a), {"month": month}, **bearer(token))
    assert answer.status_code == 200, answer.content
    assert answer.json()["month"] == today.replace(day=1).isoformat()
    csv = Client().get(
        url("api-v1-statement", company_a), {"month": month, "as": "csv"}, **bearer(token)
    )
    assert csv.status_code == 200
    assert csv["Content-Type"].startswith("text/csv")
    for month in ("2026-13", "0000-01", "x"):
        bad = Client().get(url("api-v1-statement", company_a), {"month": month}, **bearer(token))
        assert bad.status_code == 400, month


def test_a_company_token_reaches_its_own_company_s_endpoints_only(
    company_a, admin_a, company_b, admin_b
):
    token = company_token(admin_a, company_a, ApiToken.Scope.RESERVE)
    client = Client()
    assert client.get(url("api-v1-members", company_a), **bearer(token)).status_code == 200
    assert client.get(url("api-v1-members", company_b), **bearer(token)).status_code == 403
    assert client.get(reverse("api-v1-bookings"), **bearer(token)).status_code == 403
    assert client.get(reverse("api-v1-tokens"), **bearer(token)).status_code == 403
    made = client.post(
        url("api-v1-company-tokens", company_a),
        {"name": "more", "scope": "reserve"},
        content_type="application/json",
        **bearer(token),
    )
    assert made.status_code == 403


def test_a_company_token_stops_when_its_maker_is_no_longer_an_admin(company_a, admin_a):
    token = company_token(admin_a, company_a, ApiToken.Scope.READ)
    assert Client().get(url("api-v1-members", company_a), **bearer(token)).status_code == 200
    Membership.objects.filter(user=admin_a).update(role="member")
    refused = Client().get(url("api-v1-members", company_a), **bearer(token))
    assert refused.status_code == 401


def test_company_tokens_are_made_and_revoked_by_the_company_s_admins_only(
    company_a, admin_a, member_a
):
    admin = signed_in(admin_a)
    made = admin.post(
        url("api-v1-company-tokens", company_a),
        {"name": "HR system", "scope": "book", "days": 30},
        content_type="application/json",
    )
    assert made.status_code == 201, made.content
    assert made.json()["scope"] == "book"
    key = made.json()["id"]
    assert signed_in(member_a).get(url("api-v1-company-tokens", company_a)).status_code == 403
    assert (
        signed_in(member_a)
        .delete(url("api-v1-company-token", company_a, token_key=key))
        .status_code
        == 403
    )
    assert (
        admin.post(
            url("api-v1-company-tokens", company_a),
            {"name": "x", "scope": "everything"},
            content_type="application/json",
        ).status_code
        == 400
    )
    revoked = admin.delete(url("api-v1-company-token", company_a, token_key=key))
    assert revoked.status_code == 204
    assert (
        Client().get(url("api-v1-members", company_a), **bearer(made.json()["token"])).status_code
        == 401
    )


def test_staff_cannot_make_or_use_tokens(staff_user, professional):
    refused = signed_in(staff_user).post(
        reverse("api-v1-tokens"), {"name": "desk"}, content_type="application/json"
    )
    assert refused.status_code == 403
    _row, token = create_token(user=professional, name="before promotion")
    professional.is_staff = True
    professional.save()
    assert Client().get(reverse("api-v1-bookings"), **bearer(token)).status_code == 401


def test_an_admin_subscribes_a_webhook_once_per_key_sees_its_deliveries_and_removes_it(
    company_a, admin_a, settings, django_capture_on_commit_callbacks, monkeypatch
):
    settings.WEBHOOKS_ALLOW_INSECURE = settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = True
    monkeypatch.setattr("companies.webhooks._queue_on_commit", lambda *a, **k: None)
    client = signed_in(admin_a)
    body = {"url": "http://127.0.0.1:9/hook", "event_types": ["member.joined", "member.left"]}
    made = [
        client.post(
            url("api-v1-webhooks", company_a),
            body,
            content_type="application/json",
            HTTP_IDEMPOTENCY_KEY="hook-1",
        )
        for _ in range(2)
    ]
    assert [answer.status_code for answer in made] == [201, 201]
    assert made[0].json()["secret"] == made[1].json()["secret"]
    assert made[0].json()["secret"].startswith("whsec_")
    assert company_a.webhook_endpoints.count() == 1
    listed = client.get(url("api-v1-webhooks", company_a)).json()
    assert "secret" not in listed[0]

    endpoint_id = listed[0]["id"]
    test = client.post(url("api-v1-webhook-test", company_a, endpoint_id=endpoint_id))
    assert test.status_code == 202
    log = client.get(url("api-v1-webhook-deliveries", company_a, endpoint_id=endpoint_id)).json()
    assert [row["event_type"] for row in log["results"]] == ["webhook.test"]

    gone = client.delete(url("api-v1-webhook", company_a, endpoint_id=endpoint_id))
    assert gone.status_code == 204
    assert not company_a.webhook_endpoints.exists()


@pytest.mark.parametrize(
    "hook",
    [
        "http://127.0.0.1/hook",
        "https://10.0.0.5/hook",
        "https://169.254.169.254/latest",
        "https://[::1]/hook",
        "ftp://hr.example.com/",
        "javascript:alert(1)",
        "https://" + "a" * 5000 + ".example/",
    ],
)
def test_a_webhook_to_a_private_or_odd_address_is_refused(company_a, admin_a, settings, hook):
    settings.WEBHOOKS_ALLOW_INSECURE = settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    answer = signed_in(admin_a).post(
        url("api-v1-webhooks", company_a),
        {"url": hook, "event_types": ["member.left"]},
        content_type="application/json",
    )
    assert answer.status_code == 400, answer.content
    assert not company_a.webhook_endpoints.exists()
