"""A person who signed up with a mobile number alone has no email address (NULL): everything
that mails people, names them or exports them copes with that (issue 22)."""

import json

import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from bookings.core import waitlist
from bookings.core.services import book_seat, cancel_booking
from bookings.models import WaitlistEntry
from bookings.operations import reminders
from bookings.privacy.services import erase_person
from companies.errors import InvitationForSomeoneElse
from companies.services import invitation_token, invite_member, open_invitation_for
from tests.support.factories import UserFactory
from tests.support.personas import at
from tests.support.second_factor import force_login_staff
from wnh import sms

pytestmark = pytest.mark.django_db


def by_number(phone="+919447012345", **kwargs) -> User:
    return User.objects.create_user(phone=phone, phone_verified=True, **kwargs)


def test_people_without_email_are_null_not_empty_so_many_can_have_none():
    first, second = by_number(), by_number("+919847012345")
    assert (first.email, second.email) == (None, None)
    assert str(first) == "+919447012345"
    assert first.get_full_name() == "+919447012345"


def test_an_account_needs_an_email_or_a_number():
    with pytest.raises(ValueError, match="email address or a mobile number"):
        User.objects.create_user(email=None)


def test_the_reminder_goes_by_sms_whatever_the_choice_and_no_mail_is_tried(
    small_pod, tomorrow, today
):
    person = by_number()  # notify_by stays "email", the default
    booking = book_seat(user=person, seat=small_pod.seats.get(position=1), day=tomorrow)
    assert reminders.send_due(now=at(today, 18, 5)) == 1
    assert mail.outbox == []
    assert [(m.to, m.kind) for m in sms.outbox] == [("+919447012345", "reminder")]
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None
    assert reminders.send_due(now=at(today, 18, 15)) == 0
    assert len(sms.outbox) == 1


def test_with_no_email_and_no_confirmed_number_nothing_is_sent_and_the_reminder_is_done(
    small_pod, tomorrow, today
):
    person = User.objects.create_user(phone="+919447012345", phone_verified=False)
    booking = book_seat(user=person, seat=small_pod.seats.get(position=1), day=tomorrow)
    assert reminders.send_due(now=at(today, 18, 5)) == 1
    assert (mail.outbox, sms.outbox) == ([], [])
    booking.refresh_from_db()
    assert booking.reminder_sent_at is not None


def test_a_waitlist_offer_goes_by_sms_without_a_mail(
    small_pod, daily_centre, people, tomorrow, tasks_inline, django_capture_on_commit_callbacks
):
    seats = list(small_pod.seats.order_by("position"))
    bookings = [
        book_seat(user=person, seat=seat, day=tomorrow)
        for person, seat in zip(people, seats, strict=False)
    ]
    person = by_number()
    entry = waitlist.join_waitlist(user=person, centre=daily_centre, day=tomorrow)
    with django_capture_on_commit_callbacks(execute=True):
        cancel_booking(booking=bookings[0], by=people[0])
    entry.refresh_from_db()
    assert entry.status == WaitlistEntry.Status.OFFERED
    assert [m.to for m in mail.outbox if person.phone in str(m.to)] == []
    assert [(m.to, m.kind) for m in sms.outbox] == [("+919447012345", "waitlist_offer")]


def test_the_privacy_download_holds_the_number_and_no_email(client):
    person = by_number()
    client.force_login(person)
    data = json.loads(client.get(reverse("privacy_download")).content)
    profile = data["profile"]
    assert (profile["email"], profile["phone"], profile["phone_verified"]) == (
        None,
        "+919447012345",
        True,
    )


def test_erasing_a_person_without_email_clears_the_number(client):
    person = by_number()
    erase_person(user=person, by=person)
    person.refresh_from_db()
    assert (person.phone, person.phone_verified) == (None, False)
    # The number may sign up again, as a new person.
    assert by_number().pk != person.pk


def test_an_invitation_is_for_someone_else_not_a_500(company_a, admin_a):
    person = by_number()
    invitation = invite_member(company=company_a, email="chitra@example.com", invited_by=admin_a)
    with pytest.raises(InvitationForSomeoneElse):
        open_invitation_for(token=invitation_token(invitation), user=person)


def test_the_members_page_names_a_member_by_their_number(client, company_a, admin_a):
    from companies.models import Membership

    person = by_number(full_name="")
    Membership.objects.create(company=company_a, user=person, role="member")
    client.force_login(admin_a)
    html = client.get(reverse("companies:members", args=[company_a.slug])).content.decode()
    assert "+919447012345" in html
    assert "None" not in html.split("<main", 1)[1]


@pytest.fixture
def admin_client_2fa(client):
    force_login_staff(
        client, UserFactory(email="root@kdisc.example", is_staff=True, is_superuser=True)
    )
    return client


def test_the_admin_reads_a_number_as_typed_and_refuses_a_landline(admin_client_2fa):
    person = by_number()
    url = reverse("admin:accounts_user_change", args=[person.pk])
    form = admin_client_2fa.get(url).context["adminform"].form
    data = {k: v for k, v in form.initial.items() if v is not None and k != "password"}
    data.update(
        {
            "phone": "98470 12345",
            "email": "",
            "date_joined_0": "2026-01-01",
            "date_joined_1": "10:00",
        }
    )
    data.pop("groups", None), data.pop("user_permissions", None)
    response = admin_client_2fa.post(url, data)
    assert response.status_code == 302, response.context["adminform"].form.errors
    person.refresh_from_db()
    assert (person.phone, person.email) == ("+919847012345", None)
    data["phone"] = "0474 2123456"
    response = admin_client_2fa.post(url, data)
    assert response.status_code == 200
    assert response.context["adminform"].form.errors["phone"]


@pytest.mark.postgres
def test_rows_written_by_sql_with_empty_contact_details_are_stored_as_null():
    """An import or a test-data load writes '' for "no number": the database stores NULL, so
    many such people load side by side (the unique constraints) instead of the load failing."""
    from django.db import connection

    with connection.cursor() as cursor:
        for n in range(2):
            cursor.execute(
                "INSERT INTO accounts_user (password, is_superuser, is_staff, is_active,"
                " date_joined, email, full_name, phone, home_pin_code, home_place, language,"
                " calendar_token) VALUES ('!', false, false, true, now(), %s, 'Loaded', '',"
                " '', '', 'en', %s)",
                [f"loaded-{n}@example.com", f"token-{n}"],
            )
    loaded = User.objects.filter(full_name="Loaded")
    assert [person.phone for person in loaded] == [None, None]
    User.objects.filter(pk=loaded[0].pk).update(phone="", email="")
    assert User.objects.filter(pk=loaded[0].pk).values_list("phone", "email").get() == (None, None)
