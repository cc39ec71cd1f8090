"""Company mail goes out in each recipient's language and names the portal."""

import re

import pytest
from django.core import mail

from companies.services import approve_company
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

MALAYALAM = re.compile("[\u0d00-\u0d7f]")


def test_each_recipient_gets_company_mail_in_their_own_language(
    company, company_admin, django_capture_on_commit_callbacks
):
    company.status = company.Status.PENDING
    company.save(update_fields=["status"])
    malayalam_admin = UserFactory(email="meera@example.com", language="ml")
    company.memberships.create(user=malayalam_admin, role="admin")
    with django_capture_on_commit_callbacks(execute=True):
        approve_company(company=company, by=UserFactory(is_staff=True))
    by_address = {address: message for message in mail.outbox for address in message.to}
    malayalam, english = by_address["meera@example.com"], by_address[company_admin.email]
    assert malayalam is not english
    assert MALAYALAM.search(malayalam.subject)
    assert MALAYALAM.search(malayalam.body)
    assert "WNH Seats" in malayalam.body
    assert 'lang="ml"' in malayalam.alternatives[0][0]
    assert "is approved" in english.subject
    assert not MALAYALAM.search(english.body)
