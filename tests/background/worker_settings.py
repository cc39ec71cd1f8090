"""Settings for the Celery worker that the worker tests start: the portal's, plus a mailbox
the test reads (one file per message) and, for the kill test, a slow mail server."""

from wnh.settings import *  # noqa: F403

EMAIL_BACKEND = "tests.background.mailbox.MailboxBackend"
