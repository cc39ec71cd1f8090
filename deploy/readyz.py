"""The web container's health check: /readyz of this replica, with an allowed Host header.

Exits 0 when the portal answers 200, 1 otherwise (within 5 seconds). Only the standard
library: it runs inside the image, beside gunicorn.
"""

import os
import sys
import urllib.error
import urllib.request

host = os.environ.get("DJANGO_ALLOWED_HOSTS", "localhost").split(",")[0].strip()
port = os.environ.get("WNH_BIND", "0.0.0.0:8000").rsplit(":", 1)[1]
request = urllib.request.Request(f"http://127.0.0.1:{port}/readyz", headers={"Host": host})
try:
    with urllib.request.urlopen(request, timeout=5) as answer:  # noqa: S310 - our own URL
        sys.exit(0 if answer.status == 200 else 1)
except (urllib.error.URLError, OSError) as error:
    print(f"not ready: {error}", file=sys.stderr)
    sys.exit(1)
