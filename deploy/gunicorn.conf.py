"""gunicorn's settings for the web processes (docker-compose.yml: `gunicorn -c deploy/...`).

Everything an operator tunes is an environment variable: WNH_BIND (address:port),
WEB_CONCURRENCY (worker processes; 2 x cores + 1 by default), GUNICORN_TIMEOUT. Sync workers
behind nginx, which buffers slow clients, so a phone on a bad line holds no worker.
"""

import json
import multiprocessing
import os
import shutil

bind = os.environ.get("WNH_BIND", "0.0.0.0:8000")
workers = int(os.environ.get("WEB_CONCURRENCY", multiprocessing.cpu_count() * 2 + 1))
# A request longer than this is killed (a booking takes milliseconds; a lock wait is bounded
# by WNH_LOCK_TIMEOUT_MS, 3 s). nginx gives up at 30 s too (deploy/nginx/nginx.conf).
timeout = int(os.environ.get("GUNICORN_TIMEOUT", "30"))
# On SIGTERM (a rolling deploy), finish the requests in flight first.
graceful_timeout = 20
# nginx keeps connections to us open (upstream keepalive): a little longer than it does.
keepalive = 75
# A worker is replaced after this many requests, so a slow leak never grows for long.
max_requests = 2000
max_requests_jitter = 200
# X-Forwarded-Proto is believed from these peers (the load balancer). FORWARDED_ALLOW_IPS
# in the environment overrides it, as gunicorn documents.
forwarded_allow_ips = os.environ.get("FORWARDED_ALLOW_IPS", "127.0.0.1")

# gunicorn's control socket (gunicornc) is not used; one per home folder would also clash
# between two gunicorns on one host.
control_socket_disable = True

accesslog = "-"
# Tokens in check-in, invitation, password-reset and calendar links never reach the access
# log, whatever the format names (wnh/logs.py).
logger_class = "wnh.logs.RedactingGunicornLogger"
# One JSON object a line, with the request id nginx set (the same one the portal logs).
access_log_format = json.dumps(
    {
        "time": "%(t)s",
        "remote": "%({x-forwarded-for}i)s",
        "method": "%(m)s",
        "path": "%(U)s",
        "status": "%(s)s",
        "bytes": "%(B)s",
        "duration_ms": "%(M)s",
        "request_id": "%({x-request-id}i)s",
        "process": "%(p)s",
    }
)


def on_starting(server):
    """Prometheus multiprocess mode: the folder every worker writes its counters into is
    emptied at start, so figures of an earlier run are not summed in (wnh/metrics.py)."""
    folder = os.environ.get("PROMETHEUS_MULTIPROC_DIR")
    if folder:
        shutil.rmtree(folder, ignore_errors=True)
        os.makedirs(folder, exist_ok=True)


def child_exit(server, worker):
    if os.environ.get("PROMETHEUS_MULTIPROC_DIR"):
        from prometheus_client import multiprocess

        multiprocess.mark_process_dead(worker.pid)
