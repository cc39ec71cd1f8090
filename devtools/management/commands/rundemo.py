"""Start the portal on this machine: the web server plus a Celery worker with beat.

Used by `make demo`. The worker runs on the embedded broker unless REDIS_URL is set.

Mails link to where the demo runs (`make demo PORT=8123`), unless WNH_BASE_URL says otherwise:
the worker, which sends reminders and offers, is told too. A SIGTERM (make passes its own on
to this command) stops the worker with the web server, and the worker also dies if this
process is killed outright (Linux's parent-death signal).
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from accounts.site import sync_site
from devtools.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from wnh.celery import ensure_broker_folders

_LOCAL = ("127.0.0.1", "0.0.0.0", "::1", "localhost")  # noqa: S104 - names, not a bind
_PR_SET_PDEATHSIG = 1


def demo_base_url(host: str, port: str) -> str:
    """The address mails link to: WNH_BASE_URL when set, else where the demo listens."""
    if os.environ.get("WNH_BASE_URL"):
        return settings.WNH_BASE_URL
    return f"http://{'localhost' if host in _LOCAL else host}:{port}"


def _die_with_parent() -> None:
    """In the worker, before exec: SIGTERM when rundemo dies, however it dies (Linux)."""
    with contextlib.suppress(OSError):  # not Linux: the SIGTERM handler still stops it
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(_PR_SET_PDEATHSIG, signal.SIGTERM)


def _stop_on_sigterm(signum, frame):
    raise SystemExit(128 + signum)


class Command(BaseCommand):
    help = "Run the web server and a Celery worker with beat, and say how to log in."

    def add_arguments(self, parser):
        parser.add_argument("--host", default="127.0.0.1")
        parser.add_argument("--port", default="8000")
        parser.add_argument("--no-worker", action="store_true", help="Web server only.")

    def handle(self, *args, host, port, no_worker, **options):
        if not settings.DEBUG:
            raise CommandError(
                "rundemo is the laptop demo and runs in debug mode: DJANGO_DEBUG is false. "
                "Production runs gunicorn (README.md, Running on PostgreSQL and Redis)."
            )
        base = demo_base_url(host, port)
        os.environ["WNH_BASE_URL"] = settings.WNH_BASE_URL = base  # the worker's too
        sync_site()  # allauth's mails name the site by this address
        signal.signal(signal.SIGTERM, _stop_on_sigterm)  # so `finally` stops the worker
        worker = None
        if not no_worker:
            ensure_broker_folders()
            worker = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [
                    sys.executable,
                    "-m",
                    "celery",
                    "-A",
                    "wnh",
                    "worker",
                    "-B",
                    "--scheduler",
                    "django_celery_beat.schedulers:DatabaseScheduler",
                    "--loglevel",
                    "WARNING",
                    "--concurrency",
                    "2",
                ],
                preexec_fn=_die_with_parent,  # noqa: PLW1509 - no threads started yet
            )
        self.stdout.write(
            self.style.SUCCESS(f"""
WNH Seats is starting at http://{host}:{port}/ (mails link to {base}/)
  Professional:        asha@example.com
  Company admin:       lead@codeworks.example
  Company member:      member1@codeworks.example
  K-DISC staff:        staff@kdisc.example      (admin at {base}/admin/)
  Superuser:           admin@kdisc.example
  Password for all:    {DEMO_PASSWORD}
  Staff and superuser then type an authenticator code: secret {DEMO_TOTP_SECRET}
                       (add it to an authenticator app, or: .venv/bin/python manage.py demo_code)
Emails (sign-up, reminders) are printed on this console. Stop with Ctrl+C.
""")
        )
        try:
            call_command("runserver", f"{host}:{port}", use_reloader=False)
        finally:
            if worker:
                worker.terminate()
                try:
                    worker.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    worker.kill()
                    worker.wait()
