"""The company admin's webhook pages: only the company's admins see them (a 404 for its
plain members and for everyone else); bad input gets a clear message and saves nothing; the
secret is shown once."""

import pytest
from django.urls import reverse

from companies import services
from companies.models import WebhookDelivery, WebhookEndpoint

EVENTS = ["member.joined", "booking.created"]


@pytest.fixture
def a_objects(endpoint, admin_a, sent):
    delivery = sent(lambda: services.send_test_webhook(endpoint=endpoint, by=admin_a))
    return {"slug": endpoint.company.slug, "endpoint": endpoint.pk, "delivery": delivery.pk}


# (method, url name, args from A's objects)
URLS = [
    ("get", "companies:webhooks", ["slug"]),
    ("post", "companies:webhooks", ["slug"]),
    ("get", "companies:webhook", ["slug", "endpoint"]),
    ("post", "companies:test_webhook", ["slug", "endpoint"]),
    ("post", "companies:turn_on_webhook", ["slug", "endpoint"]),
    ("post", "companies:delete_webhook", ["slug", "endpoint"]),
    ("post", "companies:replay_webhook", ["slug", "endpoint", "delivery"]),
]


def _request(client, method, name, args, receiver):
    data = {"url": receiver.url, "event_types": EVENTS}
    return getattr(client, method)(reverse(name, args=args), data)


@pytest.mark.parametrize(("method", "name", "arg_names"), URLS)
@pytest.mark.parametrize("who", ["member_a", "admin_b", "member_b"])
def test_only_the_companys_admins_reach_its_webhook_pages(
    request, client, a_objects, receiver, queued, method, name, arg_names, who
):
    client.force_login(request.getfixturevalue(who))

    response = _request(client, method, name, [a_objects[a] for a in arg_names], receiver)

    assert response.status_code == 404
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1
    assert WebhookEndpoint.objects.get().is_active
    assert len(receiver.received) == 1
    assert queued == [("companies.deliver_webhook", {"delivery_id": a_objects["delivery"]})]


@pytest.mark.parametrize(("method", "name", "arg_names"), [u for u in URLS if len(u[2]) > 1])
def test_an_admin_of_b_gets_404_for_as_ids_under_bs_own_slug(
    client, a_objects, company_b, admin_b, receiver, method, name, arg_names
):
    client.force_login(admin_b)
    args = [company_b.slug if a == "slug" else a_objects[a] for a in arg_names]

    assert _request(client, method, name, args, receiver).status_code == 404
    assert WebhookEndpoint.objects.count() == 1


def test_an_admin_adds_an_endpoint_and_sees_its_secret_once(client, company_a, admin_a, receiver):
    client.force_login(admin_a)
    url = reverse("companies:webhooks", args=[company_a.slug])

    response = client.post(url, {"url": receiver.url, "event_types": EVENTS})

    assert response.status_code == 201
    endpoint = WebhookEndpoint.objects.get()
    assert (endpoint.url, endpoint.event_types, endpoint.created_by) == (
        receiver.url,
        sorted(EVENTS),
        admin_a,
    )
    assert endpoint.secret in response.content.decode()
    assert "no-store" in response["Cache-Control"]
    listing = client.get(url)
    assert receiver.url in listing.content.decode()
    assert endpoint.secret not in listing.content.decode()
    detail = client.get(reverse("companies:webhook", args=[company_a.slug, endpoint.pk]))
    assert endpoint.secret not in detail.content.decode()


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ({"url": "ftp://files.example.com/in", "event_types": EVENTS}, "must start with https://"),
        ({"url": "javascript:alert(1)", "event_types": EVENTS}, "must start with https://"),
        (
            {"url": "https://example.com/" + "a" * 5000, "event_types": EVENTS},
            "at most 2000 characters",
        ),
        ({"url": "https://hr.example.com/wnh"}, "Choose at least one event to send."),
        ({"url": "https://hr.example.com/wnh", "event_types": ["no.such"]}, "not one of"),
        ({"url": "", "event_types": EVENTS}, "This field is required."),
    ],
)
def test_bad_input_gets_a_clear_message_and_saves_nothing(
    client, company_a, admin_a, production_addresses, data, message
):
    client.force_login(admin_a)

    response = client.post(reverse("companies:webhooks", args=[company_a.slug]), data)

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_a_private_address_is_refused_on_the_page_in_production(
    client, company_a, admin_a, production_addresses
):
    client.force_login(admin_a)

    response = client.post(
        reverse("companies:webhooks", args=[company_a.slug]),
        {"url": "https://169.254.169.254/latest", "event_types": EVENTS},
    )

    assert response.status_code == 400
    assert "private or local address" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_the_log_shows_each_delivery_and_the_test_button_sends_one(
    client, company_a, admin_a, endpoint, receiver, sent
):
    client.force_login(admin_a)
    receiver.answer(500, 200)

    response = sent(
        lambda: client.post(reverse("companies:test_webhook", args=[company_a.slug, endpoint.pk]))
    )

    assert response.status_code == 302
    page = client.get(reverse("companies:webhook", args=[company_a.slug, endpoint.pk]))
    html = page.content.decode()
    delivery = WebhookDelivery.objects.get()
    assert "webhook.test" in html
    assert str(delivery.event_id) in html
    assert "Delivered" in html
    assert "<td>200</td>" in html
    assert "<td>2</td>" in html  # attempts


def test_the_log_shows_the_last_50(client, company_a, admin_a, endpoint, queued):
    for _ in range(55):
        services.send_test_webhook(endpoint=endpoint, by=admin_a)
    client.force_login(admin_a)

    page = client.get(reverse("companies:webhook", args=[company_a.slug, endpoint.pk]))

    assert page.content.decode().count("<code>webhook.test</code>") == 50


def test_an_admin_deletes_an_endpoint_with_its_log(client, company_a, admin_a, a_objects):
    client.force_login(admin_a)

    response = client.post(
        reverse("companies:delete_webhook", args=[company_a.slug, a_objects["endpoint"]])
    )

    assert response.status_code == 302
    assert not WebhookEndpoint.objects.exists()
    assert not WebhookDelivery.objects.exists()


def test_the_pages_speak_malayalam(client, company_a, admin_a, endpoint):
    admin_a.language = "ml"
    admin_a.save(update_fields=["language"])
    client.force_login(admin_a)

    page = client.get(
        reverse("companies:webhooks", args=[company_a.slug]), HTTP_ACCEPT_LANGUAGE="ml"
    )

    assert "Add the endpoint" not in page.content.decode()
