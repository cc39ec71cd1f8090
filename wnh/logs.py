"""Secrets out of logs: the portal's links that carry a secret lose it before a log line.

Check-in codes, invitations, password resets, email confirmations and calendar feeds put a
token in the URL (a QR code or a calendar app cannot send a header). Whoever reads a log
could use it: check in as someone, join their company, reset their password, follow their
bookings. `redact` blanks those path segments and the values of query parameters; the
logging filter applies it to the portal's own log records (django.request's "Not Found:
/path", runserver's request lines), and the gunicorn logger class to the access log:

    gunicorn wnh.wsgi:application --logger-class wnh.logs.RedactingGunicornLogger ...
"""

import logging
import re

from gunicorn.glogging import Logger as GunicornLogger

REDACTED = "[redacted]"

SECRET_PATHS = [
    # /centres/<slug>/check-in/<token>/ (the entrance's QR code)
    re.compile(r"(/centres/[^/\s?]+/check-in/)[^/\s?\"]+"),
    # /companies/invitations/<token>/
    re.compile(r"(/companies/invitations/)[^/\s?\"]+"),
    # allauth: /accounts/password/reset/key/<uidb36>-<key>/ and /accounts/confirm-email/<key>/
    re.compile(r"(/accounts/password/reset/key/)[^/\s?\"]+"),
    re.compile(r"(/accounts/confirm-email/)[^/\s?\"]+"),
    # /bookings/calendar/<token>.ics (the personal calendar feed)
    re.compile(r"(/bookings/calendar/)[^/\s?\"]+?(?=\.ics)"),
]
# Any query string value: the portal's own are harmless (?day=, ?page=), but a link pasted
# from elsewhere can carry anything, and a day or page is no loss in a log.
QUERY_VALUE = re.compile(r"([?&][^=&\s\"#]+)=[^&\s\"#]*")


def redact(text: str) -> str:
    for pattern in SECRET_PATHS:
        text = pattern.sub(rf"\g<1>{REDACTED}", text)
    return QUERY_VALUE.sub(rf"\g<1>={REDACTED}", text)


def _redacted(value):
    return redact(value) if isinstance(value, str) else value


class RedactSecretsFilter(logging.Filter):
    """For LOGGING's handlers: every record's message and arguments, redacted."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = _redacted(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(_redacted(arg) for arg in record.args)
        elif isinstance(record.args, dict):
            record.args = {key: _redacted(value) for key, value in record.args.items()}
        return True


class RedactingGunicornLogger(GunicornLogger):
    """gunicorn's access log without the secrets: every atom (the request line, path, query
    string, referer, any header or environ value) redacted, whatever --access-logformat
    names."""

    QUERY_STRINGS = ("q", "{query_string}e")  # without their "?"

    def atoms(self, resp, req, environ, request_time):
        atoms = super().atoms(resp, req, environ, request_time)
        for name in self.QUERY_STRINGS:
            if atoms.get(name):
                atoms[name] = redact("?" + atoms[name])[1:]
        return {name: _redacted(value) for name, value in atoms.items()}
