"""Start the portal on this machine: the web server plus a Celery worker with beat.

Used by `make demo`. The worker runs on the embedded broker unless REDIS_URL is set.
"""

import subprocess
import sys

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from devtools.management.commands.seed_demo import DEMO_PASSWORD, DEMO_TOTP_SECRET
from wnh.celery import ensure_broker_folders


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
                ]
            )
        base = f"http://{host}:{port}"
        self.stdout.write(
            self.style.SUCCESS(f"""
WNH Seats is starting at {base}/
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
                worker.wait(timeout=20)
