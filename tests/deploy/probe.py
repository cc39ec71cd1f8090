"""Read settings as a fresh process would load them from a given environment."""

import json
import os
import subprocess
import sys

from tests import ROOT_DIR

ROOT = ROOT_DIR


def databases_with(**env) -> dict:
    """settings.DATABASES of a process started with `env` (debug mode, else as ours)."""
    script = (
        "import json, django; django.setup(); from django.conf import settings; "
        "print(json.dumps(settings.DATABASES, default=str))"
    )
    environment = {**os.environ, "DJANGO_DEBUG": "true", "DJANGO_SETTINGS_MODULE": "wnh.settings"}
    for name in ("DATABASE_REPLICA_URL", "DATABASE_POOLER", "DJANGO_CONN_MAX_AGE"):
        environment.pop(name, None)
    environment.update(env)
    done = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", script], cwd=ROOT, env=environment, capture_output=True, text=True
    )
    if done.returncode:
        raise RuntimeError(done.stderr.strip().splitlines()[-1])
    return json.loads(done.stdout)
