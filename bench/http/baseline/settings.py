"""Settings of the bare baseline app: the portal's database options, nothing else."""

import environ

env = environ.Env()

DEBUG = False
SECRET_KEY = env.str("DJANGO_SECRET_KEY")
ALLOWED_HOSTS = ["127.0.0.1", "localhost"]
INSTALLED_APPS = ["bench.http.baseline"]
MIDDLEWARE = []
ROOT_URLCONF = "bench.http.baseline.urls"
WSGI_APPLICATION = "bench.http.baseline.wsgi.application"
DATABASES = {"default": env.db_url("DATABASE_URL")}
# As the portal has them (wnh/settings.py): connections kept a minute, checked before reuse.
DATABASES["default"]["CONN_MAX_AGE"] = 60
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
USE_TZ = True
TIME_ZONE = "Asia/Kolkata"
BASELINE_SEATS = env.int("BASELINE_SEATS", default=100_000)
