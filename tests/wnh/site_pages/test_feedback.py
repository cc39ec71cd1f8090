"""The feedback form reaches K-DISC's mailbox with one mail; bad input is refused with a
clear message and sends nothing; a flood is stopped with a 429."""

import pytest
from django.urls import reverse

from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db

GOOD = {
    "name": "Anjali Nair",
    "email": "anjali@example.com",
    "topic": "booking",
    "message": "The Kottarakkara centre's seat map showed no seats on Monday.\nIs it closed?",
}


@pytest.fixture(autouse=True)
def _kdisc_mailbox(settings):
    settings.FEEDBACK_EMAIL = "feedback@kdisc.example"


def send(client, **changes):
    return client.post(reverse("contact"), {**GOOD, **changes})


def test_good_feedback_sends_one_mail_to_kdisc_and_thanks_the_sender(client, mailoutbox):
    response = send(client)

    assert response.status_code == 302
    assert response["Location"] == reverse("contact_thanks")
    (mail,) = mailoutbox
    assert mail.to == ["feedback@kdisc.example"]
    assert mail.reply_to == ["anjali@example.com"]
    assert mail.subject == "[WNH Seats] Feedback: A seat booking or a centre"
    assert GOOD["message"] in mail.body
    assert "Anjali Nair" in mail.body
    assert "Thank you for your feedback" in client.get(response["Location"]).content.decode()


def test_feedback_sent_from_a_malayalam_page_reaches_kdisc_in_english(client, mailoutbox):
    message = "തിങ്കളാഴ്ച സീറ്റ് കിട്ടിയില്ല."
    response = client.post(
        reverse("contact"), {**GOOD, "message": message}, HTTP_ACCEPT_LANGUAGE="ml"
    )
    assert response.status_code == 302
    (mail,) = mailoutbox
    assert mail.subject == "[WNH Seats] Feedback: A seat booking or a centre"
    assert message in mail.body
    assert "Language: ml" in mail.body


def test_the_name_is_optional(client, mailoutbox):
    assert send(client, name="").status_code == 302
    assert len(mailoutbox) == 1


def test_a_signed_in_person_finds_their_email_filled_in(client):
    client.force_login(UserFactory(email="ravi@example.com"))
    html = client.get(reverse("contact")).content.decode()
    assert 'value="ravi@example.com"' in html


@pytest.mark.parametrize(
    ("changes", "says"),
    [
        ({"name": "", "email": "", "topic": "", "message": ""}, "Write your message."),
        ({"message": ""}, "Write your message."),
        ({"message": "   "}, "Write your message."),
        ({"message": "x" * 10_000}, "4000 characters or fewer (it has 10000)"),
        ({"email": "not-an-email"}, "Enter an email address like name@example.com."),
        ({"email": ""}, "Give your email address, so we can answer you."),
        ({"email": "a@b.com\r\nBcc: x@y.com"}, "Enter an email address like"),
        ({"message": "hello\x00world"}, "NUL character"),
        ({"name": "Anjali\x00"}, "NUL character"),
        ({"name": "a\r\nBcc: x@y"}, "Write your name on one line"),
        ({"name": "n" * 101}, "100 characters or fewer"),
        ({"topic": "a\r\nBcc: x@y"}, "Choose one of the topics on the list."),
        ({"topic": ""}, "Choose the topic closest to your message."),
        ({"message": "ring \x07 the bell"}, "characters that are not text"),
    ],
)
def test_bad_feedback_is_refused_with_a_clear_message_and_sends_nothing(
    client, mailoutbox, changes, says
):
    response = send(client, **changes)

    assert response.status_code == 400
    html = response.content.decode()
    assert says in html
    assert mailoutbox == []


def test_a_refusal_is_in_malayalam_on_a_malayalam_page(client, mailoutbox):
    response = client.post(reverse("contact"), {**GOOD, "message": ""}, HTTP_ACCEPT_LANGUAGE="ml")
    assert response.status_code == 400
    assert "Write your message." not in response.content.decode()
    assert mailoutbox == []


def test_a_refused_message_keeps_what_was_typed(client):
    html = send(client, email="nope").content.decode()
    assert "Please correct the fields marked below." in html
    assert "The Kottarakkara centre" in html


def test_one_sender_is_stopped_after_five_messages_an_hour(client, mailoutbox):
    for n in range(5):
        assert send(client, message=f"message {n}").status_code == 302
    response = send(client, message="one more")

    assert response.status_code == 429
    assert "Several messages have come from you in a short time" in response.content.decode()
    assert len(mailoutbox) == 5


def test_one_email_is_stopped_across_browsers(client, mailoutbox, django_user_model):
    from django.test import Client

    for n in range(5):
        browser = Client(REMOTE_ADDR=f"198.51.100.{n + 1}")
        assert send(browser, message=f"message {n}").status_code == 302
    assert send(Client(REMOTE_ADDR="198.51.100.99")).status_code == 429
    assert len(mailoutbox) == 5


def test_one_browser_is_stopped_whatever_email_it_gives(client, mailoutbox):
    for n in range(5):
        assert send(client, email=f"person{n}@example.com").status_code == 302
    assert send(client, email="another@example.com").status_code == 429
    assert len(mailoutbox) == 5


def test_one_address_is_stopped_after_ten_posts_even_bad_ones(mailoutbox):
    from django.test import Client

    # Ten posts from one address (new browsers each time, so no session counts).
    for _ in range(10):
        assert send(Client(REMOTE_ADDR="203.0.113.7"), message="").status_code == 400
    response = send(Client(REMOTE_ADDR="203.0.113.7"))
    assert response.status_code == 429
    assert mailoutbox == []
    # Another address is not stopped.
    assert send(Client(REMOTE_ADDR="203.0.113.8")).status_code == 302


def test_a_mail_server_that_fails_is_a_clear_503_not_a_crash(client, settings, mailoutbox):
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT, settings.EMAIL_TIMEOUT = "127.0.0.1", 9, 2
    response = send(client)
    assert response.status_code == 503
    assert "Our mail is not working just now" in response.content.decode()


@pytest.mark.parametrize("value", ["feedback at kdisc", "a@kdisc.example,b@kdisc.example", ""])
def test_a_mailbox_that_is_not_one_address_stops_the_start(value):
    import os
    import subprocess
    import sys

    from tests import ROOT_DIR

    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", "import django; django.setup()"],
        cwd=ROOT_DIR,
        env={
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "wnh.settings",
            "DJANGO_DEBUG": "true",
            "FEEDBACK_EMAIL": value,
        },
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured: FEEDBACK_EMAIL must be one email address." in result.stderr
