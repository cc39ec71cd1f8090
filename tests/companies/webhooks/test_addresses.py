"""Only https, and never a private, loopback, link-local, multicast or reserved address, in
production settings: checked when an endpoint is made and again before each attempt."""

import socket

import pytest

from companies import services, webhooks
from companies.errors import WebhookURLRefused
from companies.models import WebhookDelivery, WebhookEndpoint

real_getaddrinfo = socket.getaddrinfo

PRIVATE_URLS = [
    "https://127.0.0.1/hooks",
    "https://127.8.9.10/hooks",
    "https://10.1.2.3/hooks",
    "https://172.16.0.9/hooks",
    "https://192.168.1.20:8443/hooks",
    "https://169.254.169.254/latest/meta-data/",
    "https://[::1]/hooks",
    "https://[::ffff:127.0.0.1]/hooks",
    "https://[fe80::1]/hooks",
    "https://[fd00::5]/hooks",
    "https://0.0.0.0/hooks",
    "https://224.0.0.1/hooks",
    "https://240.0.0.1/hooks",
    "https://100.64.0.1/hooks",
    "https://localhost/hooks",
]


@pytest.mark.parametrize("url", PRIVATE_URLS)
def test_a_subscription_to_a_private_address_is_refused_in_production(
    production_addresses, company_a, admin_a, url
):
    with pytest.raises(WebhookURLRefused, match="private or local address"):
        services.add_webhook_endpoint(
            company=company_a, url=url, event_types=["member.joined"], by=admin_a
        )
    assert not WebhookEndpoint.objects.exists()


def test_a_public_address_is_accepted_in_production(production_addresses, company_a, admin_a):
    endpoint = services.add_webhook_endpoint(
        company=company_a,
        url="https://93.184.216.34/hooks",
        event_types=["member.joined"],
        by=admin_a,
    )
    assert endpoint.secret.startswith("whsec_")
    assert len(endpoint.secret) == len("whsec_") + 64


@pytest.mark.parametrize(
    ("url", "message"),
    [
        ("http://93.184.216.34/hooks", "must start with https://"),
        ("ftp://93.184.216.34/hooks", "must start with https://"),
        ("javascript:alert(1)", "must start with https://"),
        ("https://user:pw@93.184.216.34/hooks", "user name or password"),
        ("https:///hooks", "no host name"),
        ("https://93.184.216.34:99999/hooks", "not a valid URL"),
        ("https://example.com/a b", "Enter a URL"),
        ("https://example.com/" + "a" * 5000, "too long"),
    ],
)
def test_a_url_that_is_no_https_address_is_refused(
    production_addresses, company_a, admin_a, url, message
):
    with pytest.raises(WebhookURLRefused, match=message):
        services.add_webhook_endpoint(
            company=company_a, url=url, event_types=["member.joined"], by=admin_a
        )


def test_a_host_name_that_later_resolves_to_a_private_address_gets_nothing(
    settings, monkeypatch, sent, receiver, company_a, admin_a
):
    """DNS rebinding: public when subscribed, loopback when the delivery goes."""
    settings.WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = False
    port = int(receiver.url.split(":")[2].split("/")[0])
    answers = {"address": "93.184.216.34"}

    def resolve(host, port, *args, **kwargs):
        if host != "hooks.example.com":  # Redis, PostgreSQL: as they are
            return real_getaddrinfo(host, port, *args, **kwargs)
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (answers["address"], port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolve)
    endpoint = services.add_webhook_endpoint(
        company=company_a,
        url=f"http://hooks.example.com:{port}/hooks/wnh",
        event_types=["member.joined"],
        by=admin_a,
    )
    answers["address"] = "127.0.0.1"

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    delivery.refresh_from_db()
    assert receiver.received == []
    assert (delivery.status, delivery.attempts) == ("failed", 1)
    assert "private or local address" in delivery.last_error


def test_the_attempt_connects_to_the_address_checked_and_keeps_the_host_name(
    settings, monkeypatch, sent, receiver, company_a, admin_a
):
    """The name is resolved once per attempt, for the check; the socket goes to that very
    address. A second lookup (the connection resolving the name again) would get an
    address where nothing answers."""
    settings.WEBHOOKS_TIMEOUT_SECONDS = 1
    port = int(receiver.url.split(":")[2].split("/")[0])
    lookups = []

    def resolve(host, port, *args, **kwargs):
        if host != "hooks.example.com":  # Redis, PostgreSQL: as they are
            return real_getaddrinfo(host, port, *args, **kwargs)
        lookups.append(host)
        address = "127.0.0.1" if len(lookups) <= 2 else "203.0.113.9"  # then TEST-NET-3
        return [(socket.AF_INET, socket.SOCK_STREAM, 6, "", (address, port))]

    monkeypatch.setattr(webhooks.socket, "getaddrinfo", resolve)
    endpoint = services.add_webhook_endpoint(
        company=company_a,
        url=f"http://hooks.example.com:{port}/hooks/wnh?team=1",
        event_types=["member.joined"],
        by=admin_a,
    )

    sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    assert lookups == ["hooks.example.com", "hooks.example.com"]  # subscribing, attempting
    assert receiver.received[0].headers["Host"] == f"hooks.example.com:{port}"
    assert WebhookDelivery.objects.get().status == "delivered"


def test_http_is_refused_at_delivery_time_in_production(
    settings, sent, receiver, endpoint, admin_a
):
    settings.WEBHOOKS_ALLOW_INSECURE = False
    settings.DEBUG = False

    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))

    delivery.refresh_from_db()
    assert receiver.received == []
    assert delivery.status == "failed"
    assert "https" in delivery.last_error
