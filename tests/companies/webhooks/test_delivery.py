"""Deliveries: signed, retried with the same id on a timeout or a 5xx, never on a 4xx, the
endpoint turned off (and its admins told once) after repeated failure."""

import time
import uuid

import pytest
from django.core import mail
from django.db import transaction
from django.urls import reverse

from companies import services, webhooks
from companies.models import WebhookDelivery
from companies.tasks import sweep_webhooks
from tests.support.factories import UserFactory


def test_every_delivery_is_signed_and_the_receiver_verifies_it(
    sent, receiver, endpoint, company_a, admin_a
):
    sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))
    sent(lambda: services.add_member(company=company_a, user=UserFactory(email="new@a.example")))
    sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    assert len(receiver.received) == 3
    for request in receiver.received:
        assert request.signed_with(endpoint.secret)
        assert not request.signed_with("whsec_" + "0" * 64)
        assert abs(int(request.headers["Webhook-Timestamp"]) - time.time()) < 60
        assert request.headers["Content-Type"] == "application/json"
        assert request.event["id"] == request.headers["Webhook-Id"]
        uuid.UUID(request.headers["Webhook-Id"])
    assert [r.event["type"] for r in receiver.received] == [
        "webhook.test",
        "member.joined",
        "webhook.test",
    ]
    assert receiver.received[1].event["data"]["user"]["email"] == "new@a.example"
    assert len({r.headers["Webhook-Id"] for r in receiver.received}) == 3
    assert set(WebhookDelivery.objects.values_list("status", flat=True)) == {"delivered"}


def test_a_receiver_that_answers_500_twice_gets_the_event_once_more(
    sent, receiver, endpoint, admin_a
):
    receiver.answer(500, 500, 200)

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    assert len(receiver.received) == 3
    assert len({r.headers["Webhook-Id"] for r in receiver.received}) == 1
    assert all(r.body == receiver.received[0].body for r in receiver.received)
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("delivered", 3, 200)
    assert delivery.delivered_at is not None
    # Delivered: nothing is left for the sweep to send again.
    assert sweep_webhooks.run() == 0
    assert len(receiver.received) == 3


def test_a_replayed_delivery_carries_the_same_webhook_id(sent, receiver, endpoint, admin_a):
    first = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))
    again = sent(lambda: services.replay_webhook(delivery=first, by=admin_a))

    assert again.pk != first.pk
    assert again.event_id == first.event_id
    assert [r.headers["Webhook-Id"] for r in receiver.received] == [str(first.event_id)] * 2
    assert receiver.received[0].body == receiver.received[1].body


@pytest.mark.parametrize("code", [400, 401, 404, 410, 422])
def test_a_4xx_is_not_retried(sent, receiver, endpoint, admin_a, code):
    receiver.answer(code, 200)

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    assert len(receiver.received) == 1
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, delivery.response_code) == ("failed", 1, code)


@pytest.mark.parametrize("code", [408, 429, 503])
def test_408_429_and_5xx_are_retried(sent, receiver, endpoint, admin_a, code):
    receiver.answer(code, 200)

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    assert len(receiver.received) == 2
    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("delivered", 2)


def test_a_redirect_is_not_followed(sent, receiver, endpoint, admin_a):
    receiver.answer(302)

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.response_code, len(receiver.received)) == ("failed", 302, 1)


def test_retries_stop_after_the_last_attempt(settings, sent, receiver, endpoint, admin_a):
    settings.WEBHOOKS_MAX_ATTEMPTS = 4
    receiver.answer(*[500] * 10)

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts, len(receiver.received)) == ("failed", 4, 4)


def test_a_closed_port_is_a_connection_error_retried(settings, sent, endpoint, admin_a):
    settings.WEBHOOKS_MAX_ATTEMPTS = 2
    endpoint.url = "http://127.0.0.1:9/nothing-listens"  # the discard port, closed here
    endpoint.save(update_fields=["url"])

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    delivery.refresh_from_db()
    assert (delivery.status, delivery.attempts) == ("failed", 2)
    assert delivery.response_code is None
    assert delivery.last_error.startswith("Connection failed")


def test_the_retries_wait_longer_each_time(settings):
    settings.WEBHOOKS_RETRY_SECONDS = 30
    waits = [webhooks.retry_delay(n).total_seconds() for n in range(1, 6)]
    assert waits == [30, 120, 480, 1920, 7680]


def test_after_n_failed_deliveries_the_endpoint_is_turned_off_and_its_admins_get_one_mail(
    settings, sent, receiver, endpoint, company_a, admin_a
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    receiver.answer(*[410] * 10)

    for _ in range(3):
        sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))
    endpoint.refresh_from_db()
    assert not endpoint.is_active
    assert endpoint.disabled_at is not None
    assert endpoint.consecutive_failures == 3
    assert len(mail.outbox) == 1
    assert "admin@a.example" in mail.outbox[0].to
    assert endpoint.url in mail.outbox[0].body

    # Turned off: events make no deliveries, and no second mail.
    member = UserFactory(email="late@a.example")
    assert sent(lambda: services.add_member(company=company_a, user=member)) is not None
    assert WebhookDelivery.objects.count() == 3
    assert len(receiver.received) == 3
    assert len(mail.outbox) == 1


def test_a_delivered_event_resets_the_count_of_failures(
    settings, sent, receiver, endpoint, admin_a
):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 3
    receiver.answer(410, 410, 200, 410, 410)

    for _ in range(5):
        sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == 2
    assert mail.outbox == []


def test_turned_back_on_it_gets_events_again(settings, sent, receiver, endpoint, admin_a):
    settings.WEBHOOKS_DISABLE_AFTER_FAILURES = 1
    receiver.answer(410)
    sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))
    endpoint.refresh_from_db()
    assert not endpoint.is_active

    services.turn_webhook_endpoint_on(endpoint=endpoint, by=admin_a)
    sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.consecutive_failures == 0
    assert len(receiver.received) == 2


def test_a_rolled_back_change_sends_nothing(sent, receiver, endpoint, company_a):
    def change_then_fail():
        with transaction.atomic():
            services.add_member(company=company_a, user=UserFactory(email="gone@a.example"))
            raise RuntimeError("rolled back")

    with pytest.raises(RuntimeError):
        sent(change_then_fail)

    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_the_sweep_sends_a_delivery_whose_message_was_lost(
    django_capture_on_commit_callbacks, queued, receiver, endpoint, admin_a
):
    with django_capture_on_commit_callbacks(execute=False):  # the message never goes
        services.send_test_webhook(endpoint=endpoint, by=admin_a)
    assert receiver.received == []

    assert sweep_webhooks.run() == 1
    assert len(receiver.received) == 1
    # Sent: the next sweep finds nothing, and the attempt twice sends once.
    assert sweep_webhooks.run() == 0
    delivery = WebhookDelivery.objects.get()
    assert webhooks.attempt(delivery_id=delivery.pk) is None
    assert len(receiver.received) == 1


def test_an_endpoint_subscribed_to_other_events_gets_nothing(sent, receiver, company_a, admin_a):
    services.add_webhook_endpoint(
        company=company_a, url=receiver.url, event_types=["booking.created"], by=admin_a
    )

    sent(lambda: services.add_member(company=company_a, user=UserFactory(email="x@a.example")))

    assert WebhookDelivery.objects.count() == 0
    assert receiver.received == []


def test_k_disc_staff_see_endpoints_in_the_admin_but_never_the_secret(client, staff_user, endpoint):
    from tests.support.second_factor import force_login_staff

    force_login_staff(client, staff_user)

    page = client.get(reverse("admin:companies_webhookendpoint_change", args=[endpoint.pk]))

    assert page.status_code == 200
    assert endpoint.url in page.content.decode()
    assert endpoint.secret not in page.content.decode()
    listing = client.get(reverse("admin:companies_webhookdelivery_changelist"))
    assert listing.status_code == 200


def test_the_nightly_pruning_forgets_settled_deliveries_past_the_log_days(
    settings, clock, queued, endpoint, admin_a
):
    from datetime import timedelta

    from django.utils import timezone

    from companies.tasks import prune_webhook_deliveries

    settings.WEBHOOKS_LOG_DAYS = 30
    old_sent, old_pending, recent = (
        services.send_test_webhook(endpoint=endpoint, by=admin_a) for _ in range(3)
    )
    WebhookDelivery.objects.filter(pk=old_sent.pk).update(status="delivered")
    WebhookDelivery.objects.filter(pk__in=[old_sent.pk, old_pending.pk]).update(
        created_at=timezone.now() - timedelta(days=31)
    )

    assert prune_webhook_deliveries.run() == 1
    assert prune_webhook_deliveries.run() == 0
    assert set(WebhookDelivery.objects.values_list("pk", flat=True)) == {
        old_pending.pk,
        recent.pk,
    }
