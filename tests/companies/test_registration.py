"""Company sign-up, K-DISC approval and suspension, with the emails they send."""

import pytest
from django.core import mail
from django.urls import reverse

from bookings.core.errors import CompanyNotApproved
from bookings.core.services import book_seat
from companies.models import Company, Membership
from companies.services import approve_company, register_company, suspend_company
from tests.support.personas import reserve
from tests.support.second_factor import log_in_staff


@pytest.fixture
def signed_in(client, professional):
    client.force_login(professional)
    return client


def test_someone_with_no_company_is_sent_to_register_one(signed_in):
    response = signed_in.get(reverse("companies:home"))
    assert response.status_code == 302
    assert response.url == reverse("companies:register")


def test_a_guest_is_asked_to_log_in(client, db):
    response = client.get(reverse("companies:home"))
    assert response.status_code == 302
    assert "/accounts/login/" in response.url


def test_registering_makes_a_pending_company_with_the_person_as_admin(
    signed_in, professional, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        response = signed_in.post(
            reverse("companies:register"),
            {
                "name": "Kollam Code Works",
                "contact_email": "hello@kcw.example",
                "gstin": "32aaack1234l1z5",
                "website": "https://kcw.example",
            },
        )
    company = Company.objects.get()
    assert response.status_code == 302
    assert response.url == reverse("companies:dashboard", args=[company.slug])
    assert company.status == Company.Status.PENDING
    assert company.gstin == "32AAACK1234L1Z5"
    assert company.memberships.get().user == professional
    assert company.memberships.get().role == Membership.Role.ADMIN
    assert len(mail.outbox) == 1
    assert "waiting for approval" in mail.outbox[0].subject
    assert set(mail.outbox[0].to) == {"hello@kcw.example", professional.email}


def test_a_malformed_gstin_is_refused_with_a_message_and_nothing_is_saved(signed_in):
    response = signed_in.post(
        reverse("companies:register"),
        {"name": "Kollam Code Works", "contact_email": "hello@kcw.example", "gstin": "12345"},
    )
    assert response.status_code == 200
    assert "15-character GSTIN" in response.content.decode()
    assert not Company.objects.exists()


def test_a_taken_name_is_refused_whatever_its_case(signed_in, company):
    response = signed_in.post(
        reverse("companies:register"),
        {"name": company.name.upper(), "contact_email": "x@y.example"},
    )
    assert response.status_code == 200
    assert Company.objects.count() == 1


def test_a_company_cannot_be_slugged_like_a_portal_page(professional):
    company = register_company(
        name="Register", contact_email="r@r.example", created_by=professional
    )
    assert company.slug == "register-2"


def test_approving_emails_the_company_admins(
    professional, staff_user, django_capture_on_commit_callbacks
):
    company = register_company(
        name="Vypin Visuals", contact_email="v@v.example", created_by=professional
    )
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        approve_company(company=company, by=staff_user)
    assert len(mail.outbox) == 1
    message = mail.outbox[0]
    assert "approved" in message.subject
    assert set(message.to) == {"v@v.example", professional.email}
    html = message.alternatives[0][0]
    assert reverse("companies:reserve", args=[company.slug]) in html
    assert reverse("companies:reserve", args=[company.slug]) in message.body


def test_approving_in_the_admin_calls_the_service_and_sends_the_email(
    client, staff_user, professional, django_capture_on_commit_callbacks
):
    from django.contrib.auth.models import Permission

    staff_user.user_permissions.add(Permission.objects.get(codename="change_company"))
    company = register_company(
        name="Vypin Visuals", contact_email="v@v.example", created_by=professional
    )
    mail.outbox.clear()
    log_in_staff(client, staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        client.post(
            reverse("admin:companies_company_changelist"),
            {"action": "approve", "_selected_action": [company.pk]},
        )
    company.refresh_from_db()
    assert company.status == Company.Status.APPROVED
    assert [m.subject for m in mail.outbox] == [f"{company.name} is approved: you can reserve pods"]


def test_a_rolled_back_approval_sends_no_email(professional, staff_user):
    company = register_company(
        name="Vypin Visuals", contact_email="v@v.example", created_by=professional
    )
    mail.outbox.clear()
    approve_company(company=company, by=staff_user)  # the test's transaction never commits
    assert mail.outbox == []


def test_a_pending_company_cannot_reserve_a_pod(professional, pod, fortnight):
    company = register_company(
        name="Vypin Visuals", contact_email="v@v.example", created_by=professional
    )
    with pytest.raises(CompanyNotApproved):
        reserve(company=company, admin=professional, pod=pod, first=fortnight[0], last=fortnight[1])


def test_a_suspended_company_keeps_its_history_but_cannot_reserve_or_book(
    company_a,
    admin_a,
    member_a,
    reservation_a,
    pod_a,
    pod_b,
    staff_user,
    fortnight,
    django_capture_on_commit_callbacks,
):
    with django_capture_on_commit_callbacks(execute=True):
        suspend_company(company=company_a, by=staff_user)
    assert "suspended" in mail.outbox[-1].subject
    company_a.refresh_from_db()

    with pytest.raises(CompanyNotApproved):
        reserve(company=company_a, admin=admin_a, pod=pod_b, first=fortnight[0], last=fortnight[1])
    with pytest.raises(CompanyNotApproved):
        book_seat(user=member_a, seat=pod_a.seats.first(), day=fortnight[0])
    assert company_a.reserved_days.count() == 12  # the history stays (Mon-Sat centre)
