"""The Celery app: configured from Django's settings (CELERY_*), tasks found in each app.

Redis is the broker when REDIS_URL is set; otherwise the embedded filesystem broker under
var/celery/, whose folders must exist before anything publishes or consumes (a worker
started without them dies with FileNotFoundError), so they are made on configuration.
"""

import os

from celery import Celery
from celery.signals import task_failure

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "wnh.settings")

from wnh import logs  # noqa: E402, F401 - carries the request id into tasks (signals)

app = Celery("wnh")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def ensure_broker_folders() -> None:
    """The embedded filesystem broker dies at start-up if its folders are missing."""
    from django.conf import settings

    if settings.CELERY_BROKER_URL.startswith("filesystem://"):
        for key in ("data_folder_in", "control_folder", "processed_folder"):
            os.makedirs(settings.CELERY_BROKER_TRANSPORT_OPTIONS[key], exist_ok=True)


@app.on_after_configure.connect
def _make_broker_folders(sender, **kwargs) -> None:
    ensure_broker_folders()


@task_failure.connect
def _count_task_failure(sender=None, **kwargs) -> None:
    from wnh import metrics

    metrics.task_failed(getattr(sender, "name", str(sender)))
