"""Feedback to K-DISC: the flood limits and the one mail to its mailbox (FEEDBACK_EMAIL).

The limits are allauth's, counted in the cache like the login limits (ACCOUNT_RATE_LIMITS in
wnh/settings.py: "feedback" per client address, "feedback_sender" per email and per
session), so the client's address is found the same way behind the load balancer."""

from allauth.core import ratelimit
from django.conf import settings
from django.http import HttpRequest

from wnh.mail import build_email


def may_post(request: HttpRequest) -> bool:
    """Every post counts against the client's address, good or bad: a flood of junk stops too."""
    return ratelimit.consume(request, action="feedback")


def may_send(request: HttpRequest, *, email: str) -> bool:
    """A message that would be sent counts against its browser session and its sender's email."""
    if not request.session.session_key:
        request.session.save()  # a visitor's first post: the session is the browser's key
    return ratelimit.consume(
        request, action="feedback_sender", key=f"session:{request.session.session_key}"
    ) and ratelimit.consume(request, action="feedback_sender", key=f"email:{email.lower()}")


def send_feedback(
    *, name: str, email: str, topic, message: str, language: str, account: str | None = None
) -> None:
    """One mail to K-DISC's mailbox, in English, answerable with Reply-To to the sender."""
    build_email(
        template="site_pages/feedback",
        context={
            "name": name,
            "email": email,
            "topic": topic,
            "message": message,
            "language": language,
            "account": account,
        },
        to=settings.FEEDBACK_EMAIL,
        language="en",
        reply_to=email,
    ).send()
