"""Removing a member: their future bookings in the company's pods go, and they are told."""

import pytest
from django.core import mail
from django.urls import reverse

from bookings.core.services import book_seat, remove_member
from bookings.models import SeatBooking
from companies.errors import LastAdmin, NotCompanyAdmin
from companies.models import Membership
from companies.services import change_role


def test_removing_a_member_cancels_their_future_bookings_in_company_pods_and_emails_them(
    client,
    company_a,
    admin_a,
    member_a,
    reservation_a,
    pod_a,
    pod,
    fortnight,
    django_capture_on_commit_callbacks,
):
    first = fortnight[0]
    in_pod = [
        book_seat(user=member_a, seat=pod_a.seats.first(), day=day)
        for day in company_a.reserved_days.order_by("day").values_list("day", flat=True)[:2]
    ]
    # A seat of their own outside the company's pod stays theirs.
    later = company_a.reserved_days.order_by("day").values_list("day", flat=True)[3]
    own = book_seat(user=member_a, seat=pod.seats.first(), day=later)
    membership = Membership.objects.get(user=member_a)

    client.force_login(admin_a)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("companies:remove_member", args=[company_a.slug, membership.pk])
        )

    assert response.status_code == 302
    assert not company_a.has_member(member_a)
    for booking in in_pod:
        booking.refresh_from_db()
        assert booking.status == SeatBooking.Status.CANCELLED
    own.refresh_from_db()
    assert own.status == SeatBooking.Status.BOOKED
    message = mail.outbox[-1]
    assert message.to == [member_a.email]
    assert company_a.name in message.subject
    assert first.strftime("%-d %b %Y") in message.body


def test_the_last_admin_cannot_be_removed_or_demoted(company_a, admin_a, member_a):
    other = Membership.objects.get(user=member_a)
    with pytest.raises(LastAdmin):
        change_role(company=company_a, user=admin_a, role="member", by=admin_a)
    change_role(company=company_a, user=other.user, role="admin", by=admin_a)
    remove_member(company=company_a, user=admin_a, by=member_a)  # now two admins: allowed
    with pytest.raises(LastAdmin):
        remove_member(company=company_a, user=member_a, by=member_a)
    assert company_a.has_admin(member_a)


def test_a_plain_member_cannot_remove_anyone(company_a, admin_a, member_a):
    with pytest.raises(NotCompanyAdmin):
        remove_member(company=company_a, user=admin_a, by=member_a)
    assert company_a.has_admin(admin_a)


def test_the_members_page_lists_members_with_roles(client, company_a, admin_a, member_a):
    client.force_login(admin_a)
    page = client.get(reverse("companies:members", args=[company_a.slug])).content.decode()
    assert "admin@a.example" in page
    assert "member@a.example" in page
    assert "Admin" in page
    assert "Member" in page
