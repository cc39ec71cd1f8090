"""WNH Seats settings: one file, every deployment difference read from the environment.

The defaults are the embedded setup for trying the portal on a laptop (SQLite, an embedded
Celery broker, emails on the console), but debug mode must be asked for (DJANGO_DEBUG=true):
without it the start is a production one and refuses to run on development values.
"""

import ipaddress
import re
from datetime import timedelta
from pathlib import Path

import environ
from csp.constants import NONCE, NONE, SELF
from django.core.checks.security.base import (
    SECRET_KEY_INSECURE_PREFIX,
    SECRET_KEY_MIN_LENGTH,
    SECRET_KEY_MIN_UNIQUE_CHARACTERS,
)
from django.core.exceptions import ImproperlyConfigured
from kombu import Queue

BASE_DIR = Path(__file__).resolve().parent.parent
VAR_DIR = Path(environ.Env().str("WNH_VAR_DIR", default=str(BASE_DIR / "var")))

env = environ.Env()

# Fail closed: debug mode is for a laptop and must be asked for (`make demo` and the test
# configuration set DJANGO_DEBUG=true). Without it the portal is in production, and a
# production setting that is missing or unsafe stops the start with a message naming the
# variable, instead of falling back to a development value.
DEBUG = env.bool("DJANGO_DEBUG", default=False)

# The insecure key exists only so the portal starts on a laptop; production refuses it.
INSECURE_SECRET_KEY = "django-insecure-wnh-seats-local-development-only"  # noqa: S105
MAKE_A_KEY = "python3 -c 'import secrets; print(secrets.token_urlsafe(50))'"


def _production_secret_key() -> str:
    """DJANGO_SECRET_KEY, refused when it is missing, the development key or weak.

    The key signs sessions, password resets, invitations and check-in codes: one that is
    published or guessable lets anyone forge them offline.
    """
    key = env.str("DJANGO_SECRET_KEY", default="")
    if not key or key == INSECURE_SECRET_KEY:
        raise ImproperlyConfigured(
            "Set DJANGO_SECRET_KEY: DJANGO_DEBUG is not true, so this is a production start "
            f"and the development key is refused. Make one with: {MAKE_A_KEY} "
            "(or set DJANGO_DEBUG=true on a laptop)."
        )
    # The same bar as `check --deploy` (security.W009), but a refusal instead of a warning.
    if (
        len(key) < SECRET_KEY_MIN_LENGTH
        or len(set(key)) < SECRET_KEY_MIN_UNIQUE_CHARACTERS
        or key.startswith(SECRET_KEY_INSECURE_PREFIX)
    ):
        raise ImproperlyConfigured(
            f"DJANGO_SECRET_KEY is too weak: at least {SECRET_KEY_MIN_LENGTH} characters, "
            f"{SECRET_KEY_MIN_UNIQUE_CHARACTERS} different ones, not starting with "
            f"'{SECRET_KEY_INSECURE_PREFIX}'. Make one with: {MAKE_A_KEY}"
        )
    return key


def _production_allowed_hosts() -> list[str]:
    """DJANGO_ALLOWED_HOSTS, refused when missing, empty or '*'.

    Links in mail (password reset, invitations) are built from the request's Host, so a
    production site must name its host names and answer 400 to any other.
    """
    hosts = [host.strip() for host in env.list("DJANGO_ALLOWED_HOSTS", default=[])]
    hosts = [host for host in hosts if host]
    if not hosts:
        raise ImproperlyConfigured(
            "Set DJANGO_ALLOWED_HOSTS to the portal's host names, comma-separated (for "
            "example seats.wnh.kerala.gov.in): DJANGO_DEBUG is not true, so this is a "
            "production start."
        )
    if "*" in hosts:
        raise ImproperlyConfigured(
            "DJANGO_ALLOWED_HOSTS must name the portal's host names, not '*': mail links "
            "are built from the request's Host header."
        )
    return hosts


if DEBUG:
    SECRET_KEY = env.str("DJANGO_SECRET_KEY", default=INSECURE_SECRET_KEY)
    ALLOWED_HOSTS = env.list("DJANGO_ALLOWED_HOSTS", default=["localhost", "127.0.0.1", "[::1]"])
else:
    SECRET_KEY = _production_secret_key()
    ALLOWED_HOSTS = _production_allowed_hosts()
# Rotating the key (docs/operations.md): the old one stays here for a while, so sessions and
# signed links made with it still verify while everything new is signed with the new one.
SECRET_KEY_FALLBACKS = env.list("DJANGO_SECRET_KEY_FALLBACKS", default=[])
CSRF_TRUSTED_ORIGINS = env.list("DJANGO_CSRF_TRUSTED_ORIGINS", default=[])

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.sites",
    "django.contrib.sitemaps",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "rest_framework",
    "knox",
    "drf_spectacular",
    "drf_spectacular_sidecar",
    "django_htmx",
    "django_celery_beat",
    "csp",
    "pgtrigger",  # the audit history (wnh/audit.py)
    "pghistory",
    "django_zxcvbn_password_validator",  # its Malayalam messages
    "accounts",
    "centres",
    "companies",
    "bookings",
    # The demo network and the benchmarks' loaders (make demo, make bench).
    "devtools",
]

MIDDLEWARE = [
    # Outermost: it compresses every answer, whitenoise's static files too (those it has
    # precompressed it leaves alone). BREACH: Django >= 4.2 pads the gzip header with random
    # bytes, and CSRF tokens stay masked per response (CSRF_USE_SESSIONS off, the default).
    "django.middleware.gzip.GZipMiddleware",
    # Next: every log record of the request carries its id (wnh/logs.py); requests and
    # latency per view for Prometheus (wnh/metrics.py).
    "wnh.logs.RequestIdMiddleware",
    "django_prometheus.middleware.PrometheusBeforeMiddleware",
    "django.middleware.security.SecurityMiddleware",
    # Outermost but one: its headers go on every answer, errors and redirects included.
    "wnh.middleware.SecurityHeadersMiddleware",
    # Signing out clears what the browser and the service worker kept (wnh/pwa/).
    "wnh.pwa.middleware.ClearSiteDataOnLogoutMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    "csp.middleware.CSPMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    # After authentication: the audit history names the person, path and request id.
    "wnh.audit.AuditContextMiddleware",
    # Staff powers only after a second factor in this session (accounts/second_factor.py).
    "accounts.middleware.StaffSecondFactorMiddleware",
    # allauth's RateLimited raised inside a flow: a 429 page, not a 500.
    "accounts.middleware.RateLimitedMiddleware",
    # After authentication: the signed-in person's profile language wins over the browser's.
    "accounts.middleware.ProfileLanguageMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "django_prometheus.middleware.PrometheusAfterMiddleware",
    # Last, so it sees a view's exception first: bad input is a 400, a lock wait that ran
    # out a 503 with Retry-After (wnh/failures.py).
    "wnh.failures.FailureMiddleware",
]

ROOT_URLCONF = "wnh.urls"
WSGI_APPLICATION = "wnh.wsgi.application"
ASGI_APPLICATION = "wnh.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
            ],
        },
    },
]

# Databases: SQLite only for the one-command laptop start; PostgreSQL everywhere else.
DATABASES = {
    "default": env.db_url("DATABASE_URL", default=f"sqlite:///{VAR_DIR / 'wnh.sqlite3'}"),
}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("DJANGO_CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
if "postgresql" in DATABASES["default"]["ENGINE"]:
    # A database (or PgBouncer) that does not answer fails a request, and /readyz, within
    # seconds instead of hanging a web worker until the load balancer gives up.
    DATABASES["default"].setdefault("OPTIONS", {})["connect_timeout"] = env.int(
        "DJANGO_DB_CONNECT_TIMEOUT", default=3
    )
if DATABASES["default"]["ENGINE"] == "django.db.backends.sqlite3":
    # Bookings write from several threads in the dev server: wait for the lock, not fail.
    DATABASES["default"]["OPTIONS"] = {"timeout": 20}
    DATABASES["default"]["CONN_MAX_AGE"] = 0
if env.str("TEST_DATABASE_NAME", default=""):
    # Lets two test runs share one PostgreSQL server without dropping each other's database.
    DATABASES["default"]["TEST"] = {"NAME": env.str("TEST_DATABASE_NAME")}
# Behind PgBouncer in transaction mode (DATABASE_POOLER=pgbouncer; docker-compose.yml), each
# transaction may run on a different server connection:
# - no server-side cursors: `.iterator()` would DECLARE a cursor in one transaction and
#   FETCH from it later, on whichever server connection PgBouncer hands out then;
# - CONN_MAX_AGE 0: PgBouncer is the pool. A connection to it costs little, and one dropped
#   after each request never hands a web worker a socket that died with a PgBouncer restart;
#   idle workers then hold no client slots either.
# Session state is not kept between transactions there: the services only SET LOCAL
# (wnh/db.py), and PgBouncer re-applies the TimeZone Django sets when a connection opens.
DATABASE_POOLER = env.str("DATABASE_POOLER", default="")
if DATABASE_POOLER not in ("", "pgbouncer"):
    raise ImproperlyConfigured(
        f"DATABASE_POOLER must be pgbouncer or empty, not {DATABASE_POOLER!r}"
    )
if DATABASE_POOLER == "pgbouncer":
    DATABASES["default"]["DISABLE_SERVER_SIDE_CURSORS"] = True
    DATABASES["default"]["CONN_MAX_AGE"] = 0

# An optional streaming replica for reads that may lag (reports, statements): wnh/routers.py
# decides which reads may go there; availability, bookings and every write use the primary.
if env.str("DATABASE_REPLICA_URL", default=""):
    DATABASES["replica"] = {
        **DATABASES["default"],
        **env.db_url("DATABASE_REPLICA_URL"),
        "CONN_MAX_AGE": DATABASES["default"]["CONN_MAX_AGE"],
        "DISABLE_SERVER_SIDE_CURSORS": DATABASES["default"].get(
            "DISABLE_SERVER_SIDE_CURSORS", False
        ),
        "CONN_HEALTH_CHECKS": True,
        "OPTIONS": dict(DATABASES["default"].get("OPTIONS", {})),
        # Under test, the replica is the test database itself.
        "TEST": {"MIRROR": "default"},
    }
DATABASE_ROUTERS = ["wnh.routers.ReplicaRouter"]
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env.str("REDIS_URL", default="")
# The cache may live in a Redis of its own (docker-compose.yml: an LRU one), apart from the
# broker's, which must never evict a message (maxmemory-policy noeviction).
REDIS_CACHE_URL = env.str("REDIS_CACHE_URL", default=REDIS_URL)
if REDIS_CACHE_URL:
    CACHES = {
        "default": {
            # Django's, sharing one Redis client per pool (wnh/cache.py).
            "BACKEND": "wnh.cache.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            # A Redis that does not answer is an error within seconds, not a hung request.
            "OPTIONS": {
                "socket_connect_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
                "socket_timeout": env.float("REDIS_SOCKET_TIMEOUT", default=2.0),
            },
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# Sessions are read from the cache (Redis in deployment) and written through to the
# database: a page finds its session without a query, a lost cache loses no session, and
# a cache that does not answer is skipped (wnh/sessions.py), not a 500 on every page.
SESSION_ENGINE = "wnh.sessions"

AUTH_USER_MODEL = "accounts.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    # allauth's sign-up, password change and reset call these too (adapter.clean_password).
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 12},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
    # zxcvbn's estimate refuses what a guesser tries first (aaaaaaaaaaaa, keralakerala) and
    # says why, in Malayalam too (the app's own catalogue: it is in INSTALLED_APPS for that).
    {"NAME": "django_zxcvbn_password_validator.ZxcvbnPasswordValidator"},
]
# zxcvbn's score from 0 to 4: 2 is "cannot be guessed by attackers online".
PASSWORD_MINIMAL_STRENGTH = 2
# Words a guesser of this portal's passwords tries first (wnhseats2026).
PASSWORD_EXTRA_DICTIONARY = [
    "wnh",
    "wnhseats",
    "seats",
    "kerala",
    "keralam",
    "kdisc",
    "kottarakkara",
]
SITE_ID = 1
# Tests: the 5,000 post offices (centres.Locality, loaded by a migration) are not copied and
# restored around every transactional test; the browser tests reload them
# (tests/e2e/conftest.py), and no other transactional test needs them.
TEST_NON_SERIALIZED_APPS = ["centres"]
LOGIN_URL = "account_login"
# Where signing in leads without a `next`: each kind of person's own first page.
LOGIN_REDIRECT_URL = "start"
# A way in by email (and password) or by mobile number (and a code sent by SMS): a person
# signs up with either or both. allauth is told email is required (so that its "mandatory"
# verification, and with it its enumeration-safe sign-up, stay on); the sign-up form
# (accounts/forms.py) asks for an email address or a mobile number, and the verification
# stage (accounts/stages.py) asks for an address only of accounts that have one. Numbers are
# read as Indian mobile numbers and kept in E.164 (accounts/phones.py); the adapter keeps
# them on User.phone and sends the codes through wnh.sms.
ACCOUNT_LOGIN_METHODS = {"email", "phone"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "phone", "password1", "password2"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
# Sign-in by a one-time code (by SMS to a number, by mail to an address): no password needed.
# A code lives 3 minutes and allows 3 tries; a sign-up's or a new number's code 10 minutes and 3
# tries; a new code may be asked for twice. Codes are 6 digits (typed on a phone's keypad).
ACCOUNT_LOGIN_BY_CODE_ENABLED = True
ACCOUNT_LOGIN_BY_CODE_TIMEOUT = 3 * 60
ACCOUNT_LOGIN_BY_CODE_MAX_ATTEMPTS = 3
ACCOUNT_LOGIN_BY_CODE_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_ENABLED = True
ACCOUNT_PHONE_VERIFICATION_TIMEOUT = 10 * 60
ACCOUNT_PHONE_VERIFICATION_MAX_ATTEMPTS = 3
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_RESEND = True
ACCOUNT_PHONE_VERIFICATION_SUPPORTS_CHANGE = True
ALLAUTH_USER_CODE_FORMAT = {"numeric": True, "dashed": False, "length": 6}
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_LOGIN_ON_EMAIL_CONFIRMATION = True
ACCOUNT_UNIQUE_EMAIL = True
ACCOUNT_LOGOUT_REDIRECT_URL = "home"
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[WNH Seats] "
ACCOUNT_ADAPTER = "accounts.adapters.AccountAdapter"
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "http" if DEBUG else "https"
# Sign-up answers alike for new and known addresses (accounts/forms.py evens out the time).
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_FORMS = {"signup": "accounts.forms.SignupForm"}
# allauth's limits, spelled out. A failed login counts against the client's address (10 a
# minute) and against the account (5 in 5 minutes), so a spray from one place and a guess at
# one account both stop; a success does not reset the count. The TOTP step shares the limit.
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    "login_failed": "10/m/ip,5/5m/key",
    "signup": "20/m/ip",
    # Codes by SMS cost money and reach a stranger's phone: a number gets at most 3 sign-in
    # codes a minute (one client at most 20), one verification code in 30 seconds (a client 3
    # a minute), and a signed-in person may change their number once a minute.
    "request_login_code": "20/m/ip,3/m/key",
    "verify_phone": "1/30s/key,3/m/ip",
    "change_phone": "1/m/user",
    # The feedback form (wnh/site_pages/feedback.py): every post counts against the client's
    # address (an office or a college may share one), a sent message against its sender's
    # email and against the browser's session, so one flood stops without silencing a campus.
    "feedback": "10/10m/ip",
    "feedback_sender": "5/h/key",
}
# How many proxies in front of the portal append to X-Forwarded-For (the load balancer: 1).
# allauth's rate limits then count the client's address, not the balancer's. 0 trusts none:
# right when clients reach gunicorn directly, where the header is whatever they wrote.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("WNH_TRUSTED_PROXY_COUNT", default=0)
if ALLAUTH_TRUSTED_PROXY_COUNT < 0:
    raise ImproperlyConfigured("WNH_TRUSTED_PROXY_COUNT must be 0 or more.")

# The second factor: an authenticator app (TOTP) or a security key (WebAuthn: a USB/NFC key,
# or a phone's or laptop's passkey), with recovery codes. K-DISC staff and superusers must set
# one up and use it at every login (accounts/second_factor.py); no "trust this browser", and
# no tolerance for an old code (a used code is refused for one period).
MFA_SUPPORTED_TYPES = ["totp", "webauthn", "recovery_codes"]
# A key is a second factor after the password, never a login of its own: no passkey login or
# sign-up. Origins are checked as fido2 does (https, or http://localhost in development and
# the browser tests), so MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN stays at its default, False.
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_PASSKEY_SIGNUP_ENABLED = False
MFA_FORMS = {
    "add_webauthn": "accounts.forms.AddSecurityKeyForm",
    "edit_webauthn": "accounts.forms.RenameSecurityKeyForm",
    "authenticate_webauthn": "accounts.forms.SecurityKeyLoginForm",
    "reauthenticate_webauthn": "accounts.forms.SecurityKeyReauthenticateForm",
}
MFA_ADAPTER = "accounts.adapters.MFAAdapter"
MFA_TOTP_ISSUER = "WNH Seats"
MFA_TOTP_TOLERANCE = 0
MFA_TRUST_ENABLED = False

LANGUAGE_CODE = "en"
LANGUAGES = [("en", "English"), ("ml", "മലയാളം")]
LOCALE_PATHS = [BASE_DIR / "locale"]
TIME_ZONE = "Asia/Kolkata"
USE_I18N = True
USE_TZ = True

STATIC_URL = "static/"
# collectstatic writes here (`make setup`); whitenoise serves it when DJANGO_DEBUG is false.
STATIC_ROOT = Path(env.str("DJANGO_STATIC_ROOT", default=str(BASE_DIR / "staticfiles")))
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {
        "BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"
        if not DEBUG
        else "django.contrib.staticfiles.storage.StaticFilesStorage"
    },
}

vars().update(env.email_url("EMAIL_URL", default="consolemail://"))
DEFAULT_FROM_EMAIL = env.str("DEFAULT_FROM_EMAIL", default="WNH Seats <seats@wnh.kerala.gov.in>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# Text messages (wnh/sms/): console:// writes them to the log (the default, as the demo's
# mail), memory:// keeps them for tests, exotel:// sends them through Exotel's DLT gateway
# (wnh/sms/exotel.py), which needs every variable named below.
SMS_URL = env.str("SMS_URL", default="console://")
_SMS_BACKENDS = {
    "console": "wnh.sms.backends.ConsoleBackend",
    "memory": "wnh.sms.backends.MemoryBackend",
    "exotel": "wnh.sms.exotel.ExotelBackend",
}
_sms_scheme = SMS_URL.partition("://")[0]
if _sms_scheme not in _SMS_BACKENDS:
    raise ImproperlyConfigured(f"SMS_URL must start with one of {sorted(_SMS_BACKENDS)}.")
SMS_BACKEND = _SMS_BACKENDS[_sms_scheme]
# The DLT template id of each kind of message (wnh.sms.KINDS), one variable each.
SMS_TEMPLATE_VARIABLES = {
    "code": "SMS_TEMPLATE_CODE",
    "unknown_account": "SMS_TEMPLATE_UNKNOWN_ACCOUNT",
    "reminder": "SMS_TEMPLATE_REMINDER",
    "waitlist_offer": "SMS_TEMPLATE_WAITLIST_OFFER",
}
# Seconds to connect and to wait for the provider's answer.
SMS_TIMEOUT_SECONDS = env.float("SMS_TIMEOUT_SECONDS", default=10.0)
# A queued SMS (wnh.sms.send_later) is tried this many times on a timeout, a connection
# error or a 5xx, the second time after SMS_RETRY_SECONDS, each later wait four times the one
# before (10 s, 40 s, 160 s, 640 s); a 4xx is not tried again.
SMS_MAX_ATTEMPTS = env.int("SMS_MAX_ATTEMPTS", default=5)
SMS_RETRY_SECONDS = env.float("SMS_RETRY_SECONDS", default=10.0)
if SMS_MAX_ATTEMPTS < 1 or SMS_RETRY_SECONDS < 0 or SMS_TIMEOUT_SECONDS <= 0:
    raise ImproperlyConfigured(
        "SMS_MAX_ATTEMPTS must be at least 1, SMS_RETRY_SECONDS 0 or more and "
        "SMS_TIMEOUT_SECONDS more than 0."
    )


def _exotel_options() -> dict:
    """Exotel's account, the DLT ids and a template per kind: all required, none defaulted.

    The key and token are secrets: only ever passed to the backend, which sends them in a
    header; no message here or there names their values."""
    required = [
        "SMS_EXOTEL_ACCOUNT_SID",
        "SMS_EXOTEL_API_KEY",
        "SMS_EXOTEL_API_TOKEN",
        "SMS_DLT_ENTITY_ID",
        "SMS_SENDER",
        *SMS_TEMPLATE_VARIABLES.values(),
    ]
    values = {name: env.str(name, default="").strip() for name in required}
    missing = [name for name, value in values.items() if not value]
    if missing:
        raise ImproperlyConfigured(
            f"SMS_URL is {SMS_URL}, so set {', '.join(missing)} (see README.md, Text messages)."
        )
    base_url = env.str("SMS_EXOTEL_BASE_URL", default="https://api.in.exotel.com")
    if not base_url.startswith("https://") and not DEBUG:
        raise ImproperlyConfigured("SMS_EXOTEL_BASE_URL must be an https:// address.")
    return {
        "base_url": base_url,
        "account_sid": values["SMS_EXOTEL_ACCOUNT_SID"],
        "api_key": values["SMS_EXOTEL_API_KEY"],
        "api_token": values["SMS_EXOTEL_API_TOKEN"],
        "entity_id": values["SMS_DLT_ENTITY_ID"],
        "sender": values["SMS_SENDER"],
        "templates": {kind: values[name] for kind, name in SMS_TEMPLATE_VARIABLES.items()},
        "timeout": SMS_TIMEOUT_SECONDS,
    }


SMS_OPTIONS: dict = _exotel_options() if _sms_scheme == "exotel" else {}

REST_FRAMEWORK = {
    # A personal token (bookings/api/auth.py), else the signed-in session (with its CSRF check).
    "DEFAULT_AUTHENTICATION_CLASSES": [
        "bookings.api.auth.TokenAuthentication",
        "rest_framework.authentication.SessionAuthentication",
    ],
    "DEFAULT_PERMISSION_CLASSES": [
        "rest_framework.permissions.IsAuthenticated",
        "bookings.api.auth.TokenScope",  # a company token reaches its company's endpoints only
    ],
    # wnh/api.py: a JSON body past 64 KiB or 20 levels deep is a 400; every error answer has
    # one shape; ?page=0 is a 400. wnh/api_schema.py lists each operation's error answers.
    "DEFAULT_PARSER_CLASSES": ["wnh.api.JSONParser"],
    "EXCEPTION_HANDLER": "wnh.api.exception_handler",
    "DEFAULT_SCHEMA_CLASS": "wnh.api_schema.ErrorsDocumentedSchema",
    "DEFAULT_PAGINATION_CLASS": "wnh.api.PageNumberPagination",
    "PAGE_SIZE": 50,
    # bookings/api/throttles.py: per person, per token, per address without a sign-in.
    "DEFAULT_THROTTLE_CLASSES": [
        "bookings.api.throttles.PerPerson",
        "bookings.api.throttles.PerToken",
        "bookings.api.throttles.PerAddress",
    ],
    "NUM_PROXIES": ALLAUTH_TRUSTED_PROXY_COUNT,
}
# Requests a minute (or /s, /hour, /day) the API answers before 429 with Retry-After.
API_RATE_PER_PERSON = env.str("API_RATE_PER_PERSON", default="300/min")
API_RATE_PER_TOKEN = env.str("API_RATE_PER_TOKEN", default="120/min")
API_RATE_ANONYMOUS = env.str("API_RATE_ANONYMOUS", default="60/min")
for _name in ("API_RATE_PER_PERSON", "API_RATE_PER_TOKEN", "API_RATE_ANONYMOUS"):
    if not re.fullmatch(r"[1-9][0-9]*/(s|sec|m|min|h|hour|d|day)", globals()[_name]):
        raise ImproperlyConfigured(f"{_name} must be a rate such as 300/min.")
# API tokens (django-rest-knox): personal tokens of companies.ApiToken, hashed, each with
# the expiry its owner chose (at most API_TOKEN_MAX_DAYS); no token lives past it unnoticed.
KNOX_TOKEN_MODEL = "companies.ApiToken"  # noqa: S105 (a model, not a secret)
REST_KNOX = {
    "TOKEN_MODEL": KNOX_TOKEN_MODEL,
    "TOKEN_PREFIX": "wnh_",
    "AUTH_HEADER_PREFIX": "Token",
    "TOKEN_TTL": timedelta(days=90),
    "TOKEN_LIMIT_PER_USER": None,
}
# knox's own token model is swapped for that one; its migrations would still make a table of
# it (from before it was swappable) that nothing uses and a test database's flush trips on.
MIGRATION_MODULES = {"knox": None}
API_TOKEN_MAX_DAYS = 365
API_TOKENS_PER_COMPANY = 20
API_TOKENS_PER_PERSON = 10
SPECTACULAR_SETTINGS = {
    "TITLE": "WNH Seats API",
    "DESCRIPTION": "Seat and pod booking for Kerala's Work Near Home centres.",
    "VERSION": "1.0.0",
    "SWAGGER_UI_DIST": "SIDECAR",
    "SWAGGER_UI_FAVICON_HREF": "SIDECAR",
    "REDOC_DIST": "SIDECAR",
    # Several models have a `status`: each its own name in the schema.
    "ENUM_NAME_OVERRIDES": {
        "BookingStatusEnum": "bookings.models.SeatBooking.Status",
        "ReservationStatusEnum": "bookings.models.PodReservation.Status",
        "CompanyStatusEnum": "companies.models.Company.Status",
        "CentreStatusEnum": "centres.models.Centre.Status",
        "DeliveryStatusEnum": "companies.models.WebhookDelivery.Status",
    },
}

# A strict Content Security Policy: no inline script or style without the request's nonce,
# nothing from another origin (the portal vendors every file it serves).
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": [SELF],
        "script-src": [SELF, NONCE],
        "style-src": [SELF, NONCE],
        "img-src": [SELF, "data:"],
        "font-src": [SELF],
        "connect-src": [SELF],
        # The installable app (wnh/pwa/): its service worker and manifest, from the portal only.
        "worker-src": [SELF],
        "manifest-src": [SELF],
        "object-src": [NONE],
        "base-uri": [SELF],
        "form-action": [SELF],
        "frame-ancestors": [NONE],
    }
}

# Celery: Redis when REDIS_URL is set, else an embedded filesystem broker under var/.
CELERY_BROKER_FOLDER = VAR_DIR / "celery"
if REDIS_URL:
    CELERY_BROKER_URL = REDIS_URL
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        # A late-acked task whose worker died is redelivered after this many seconds.
        "visibility_timeout": env.int("CELERY_VISIBILITY_TIMEOUT", default=3600),
    }
else:
    CELERY_BROKER_URL = "filesystem://"
    CELERY_BROKER_TRANSPORT_OPTIONS = {
        "data_folder_in": str(CELERY_BROKER_FOLDER / "queue"),
        "data_folder_out": str(CELERY_BROKER_FOLDER / "queue"),
        "control_folder": str(CELERY_BROKER_FOLDER / "control"),
        "processed_folder": str(CELERY_BROKER_FOLDER / "processed"),
        "store_processed": False,
    }
CELERY_RESULT_BACKEND = None
CELERY_TASK_IGNORE_RESULT = True
# Tasks outside the apps' tasks modules (autodiscovered): the queued text messages.
CELERY_IMPORTS = ["wnh.sms.tasks"]
CELERY_TIMEZONE = TIME_ZONE
# Ack after the work is done, and requeue when a worker dies mid-task: every task is
# idempotent (DESIGN.md rule 8), so running one twice is safe and losing one is not.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=False)
# A running task must finish long before Redis's visibility_timeout, or Redis hands the
# still-running (unacked) message to a second worker as well.
CELERY_TASK_SOFT_TIME_LIMIT = env.int("CELERY_TASK_SOFT_TIME_LIMIT", default=600)
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=900)
# On a lost broker connection, running late-acked tasks are redelivered anyway: cancel them
# instead of letting them finish twice (Celery 5 warns without this).
CELERY_WORKER_CANCEL_LONG_RUNNING_TASKS_ON_CONNECTION_LOSS = True
# Publishing from a web request (on commit) must not hang when the broker is down: give up
# fast, log it, and let the periodic sweeps find the work (DESIGN.md rule 8).
CELERY_BROKER_CONNECTION_TIMEOUT = env.float("CELERY_BROKER_CONNECTION_TIMEOUT", default=2.0)
CELERY_TASK_PUBLISH_RETRY_POLICY = {"max_retries": 1, "interval_start": 0, "interval_step": 0.5}
# Queues split by kind, so a rollup over a month cannot hold up reminders or waitlist offers,
# and each kind scales on its own (docker-compose.yml: one worker service per queue).
# tests/deploy/test_compose.py checks that a worker consumes every queue named here.
# A worker started without --queues (make worker, rundemo, the tests) consumes all of them.
CELERY_TASK_DEFAULT_QUEUE = "celery"
CELERY_TASK_QUEUES = [Queue(name) for name in ("celery", "mail", "waitlist", "rollups")]
CELERY_TASK_ROUTES = {
    "bookings.send_due_reminders": {"queue": "mail"},
    "wnh.send_sms": {"queue": "mail"},
    "bookings.serve_waitlist": {"queue": "waitlist"},
    "bookings.sweep_waitlists": {"queue": "waitlist"},
    "bookings.release_no_shows": {"queue": "waitlist"},
    "bookings.rollup_occupancy": {"queue": "rollups"},
    "bookings.repair_availability_counts": {"queue": "rollups"},
    "bookings.maintain_partitions": {"queue": "rollups"},
    "bookings.apply_retention": {"queue": "rollups"},
    "bookings.rollup_turned_away": {"queue": "rollups"},
    "companies.deliver_webhook": {"queue": "webhooks"},
    "companies.sweep_webhooks": {"queue": "webhooks"},
    "companies.prune_webhook_deliveries": {"queue": "rollups"},
}
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
CELERY_BEAT_SCHEDULE_FILENAME = str(VAR_DIR / "celerybeat-schedule")
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True

# One JSON object a line in production (wnh/logs.py), each with the request id that caused it,
# in the web processes and in the Celery tasks those requests enqueued; text in debug mode.
LOG_FORMAT = env.str("DJANGO_LOG_FORMAT", default="text" if DEBUG else "json")
if LOG_FORMAT not in ("json", "text"):
    raise ImproperlyConfigured(f"DJANGO_LOG_FORMAT must be json or text, not {LOG_FORMAT!r}")
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    # Tokens in URLs (check-in, invitation, password reset, calendar feed) never reach a log;
    # every record carries the request id (wnh/logs.py).
    "filters": {
        "request_id": {"()": "wnh.logs.RequestIdFilter"},
        "redact_secrets": {"()": "wnh.logs.RedactSecretsFilter"},
    },
    "formatters": {
        "json": {"()": "wnh.logs.JsonFormatter"},
        "text": {"format": "%(levelname)s %(name)s [%(request_id)s] %(message)s"},
    },
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "filters": ["request_id", "redact_secrets"],
            "formatter": LOG_FORMAT,
        }
    },
    # A logger's filter sees its records before any handler (Django's own included); the
    # request lines then go to the console above.
    "loggers": {
        "django.request": {"filters": ["redact_secrets"]},
        "django.server": {"filters": ["redact_secrets"]},
        "django.security": {"filters": ["redact_secrets"]},
    },
    "root": {"handlers": ["console"], "level": env.str("DJANGO_LOG_LEVEL", default="INFO")},
}
# The worker logs through LOGGING above (JSON, with the request id), not Celery's own format.
CELERY_WORKER_HIJACK_ROOT_LOGGER = False

if not DEBUG:
    # Behind a TLS-terminating load balancer.
    SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
    SECURE_SSL_REDIRECT = env.bool("DJANGO_SECURE_SSL_REDIRECT", default=True)
    SECURE_HSTS_SECONDS = env.int("DJANGO_SECURE_HSTS_SECONDS", default=31536000)
    SECURE_HSTS_INCLUDE_SUBDOMAINS = True
    SECURE_HSTS_PRELOAD = True
    SESSION_COOKIE_SECURE = True
    CSRF_COOKIE_SECURE = True
    LANGUAGE_COOKIE_SECURE = True
    SECURE_REDIRECT_EXEMPT = [r"^healthz$", r"^readyz$", r"^metrics$"]

# Every cookie is HttpOnly and SameSite=Lax (and Secure in production, above): no script
# reads one (htmx posts the form's CSRF field), and none is sent on another site's POST.
# The messages cookie follows the session cookie's settings.
SESSION_COOKIE_SAMESITE = CSRF_COOKIE_SAMESITE = LANGUAGE_COOKIE_SAMESITE = "Lax"
SESSION_COOKIE_HTTPONLY = CSRF_COOKIE_HTTPONLY = LANGUAGE_COOKIE_HTTPONLY = True

# How long a booking waits for a pod's row lock before answering "busy, try again".
WNH_LOCK_TIMEOUT_MS = env.int("WNH_LOCK_TIMEOUT_MS", default=3000)


# The portal's public address, for links in emails sent by Celery (no request there).
WNH_BASE_URL = env.str("WNH_BASE_URL", default="http://localhost:8000").rstrip("/")


def _time_of_day(name: str, default: str):
    """An "HH:MM" setting, local time (Asia/Kolkata); empty means off. Fails loudly."""
    from datetime import time

    value = env.str(name, default=default).strip()
    if not value:
        return None
    try:
        hours, minutes = value.split(":")
        return time(int(hours), int(minutes))
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} must be HH:MM, not {value!r}") from error


# Reminders: the evening before a booking, and (when set) on the morning of its day.
WNH_REMINDER_EVENING_AT = _time_of_day("WNH_REMINDER_EVENING_AT", "18:00")
WNH_REMINDER_MORNING_AT = _time_of_day("WNH_REMINDER_MORNING_AT", "")
# How long a waitlist offer holds its seat before it passes to the next person.
WNH_WAITLIST_OFFER_MINUTES = env.int("WNH_WAITLIST_OFFER_MINUTES", default=30)
# No-show rule: with this many no-shows in the window, a person may book only this many days
# ahead (0: today only). A limit of 0 turns the rule off.
WNH_NO_SHOW_LIMIT = env.int("WNH_NO_SHOW_LIMIT", default=3)
WNH_NO_SHOW_WINDOW_DAYS = env.int("WNH_NO_SHOW_WINDOW_DAYS", default=30)
WNH_NO_SHOW_LIMITED_DAYS_AHEAD = env.int("WNH_NO_SHOW_LIMITED_DAYS_AHEAD", default=1)

# How long an emailed invitation to join a company stays valid.
WNH_INVITATION_MAX_AGE_DAYS = env.int("WNH_INVITATION_MAX_AGE_DAYS", default=14)

# Webhooks (companies/webhooks.py). Only https URLs, and never to a private, loopback,
# link-local, multicast or reserved address, unless these say otherwise (tests, a laptop):
# http is also allowed whenever DEBUG is on.
WEBHOOKS_ALLOW_INSECURE = env.bool("WEBHOOKS_ALLOW_INSECURE", default=False)
WEBHOOKS_ALLOW_PRIVATE_ADDRESSES = env.bool("WEBHOOKS_ALLOW_PRIVATE_ADDRESSES", default=False)
# Seconds to connect and to wait for each read of an answer.
WEBHOOKS_TIMEOUT_SECONDS = env.float("WEBHOOKS_TIMEOUT_SECONDS", default=5.0)
# Attempts of one delivery (timeouts, connection errors, 5xx, 408, 429), the wait before the
# second (each later wait four times the one before: 30 s, 2 min, 8 min, 32 min, about 2 h).
WEBHOOKS_MAX_ATTEMPTS = env.int("WEBHOOKS_MAX_ATTEMPTS", default=6)
WEBHOOKS_RETRY_SECONDS = env.float("WEBHOOKS_RETRY_SECONDS", default=30.0)
# Deliveries failed for good in a row before the endpoint is turned off (its admins are told).
WEBHOOKS_DISABLE_AFTER_FAILURES = env.int("WEBHOOKS_DISABLE_AFTER_FAILURES", default=10)
# Days a settled delivery stays in the log (the nightly "Webhook log" schedule).
WEBHOOKS_LOG_DAYS = env.int("WEBHOOKS_LOG_DAYS", default=30)
if min(WEBHOOKS_MAX_ATTEMPTS, WEBHOOKS_DISABLE_AFTER_FAILURES, WEBHOOKS_LOG_DAYS) < 1:
    raise ImproperlyConfigured(
        "WEBHOOKS_MAX_ATTEMPTS, WEBHOOKS_DISABLE_AFTER_FAILURES and WEBHOOKS_LOG_DAYS must be "
        "at least 1"
    )

# Who may read /metrics (wnh/metrics.py): a peer in one of these networks (Prometheus scrapes
# each web process directly; the load balancer refuses /metrics from outside), or a request
# with "Authorization: Bearer <WNH_METRICS_TOKEN>" when a token is set.
WNH_METRICS_ALLOWED_NETWORKS = [
    ipaddress.ip_network(network.strip(), strict=False)
    for network in env.list("WNH_METRICS_ALLOWED_NETWORKS", default=["127.0.0.1/32", "::1/128"])
    if network.strip()
]
WNH_METRICS_TOKEN = env.str("WNH_METRICS_TOKEN", default="")

# Personal data (accounts/notice.py, bookings/privacy/services.py): who to write to, and how long an
# unused account is kept before it is erased, with a warning email this many days before.
WNH_PRIVACY_CONTACT = env.str("WNH_PRIVACY_CONTACT", default="privacy@wnh.kerala.gov.in")
# K-DISC's mailbox for the contact page's feedback form (wnh/site_pages/feedback.py).
FEEDBACK_EMAIL = env.str("FEEDBACK_EMAIL", default="feedback@wnh.kerala.gov.in")
if not re.fullmatch(r"[^@\s]+@[^@\s]+\.[^@\s]+", FEEDBACK_EMAIL):
    raise ImproperlyConfigured("FEEDBACK_EMAIL must be one email address.")
WNH_RETENTION_DAYS = env.int("WNH_RETENTION_DAYS", default=730)
WNH_RETENTION_WARNING_DAYS = env.int("WNH_RETENTION_WARNING_DAYS", default=30)
if not 0 < WNH_RETENTION_WARNING_DAYS < WNH_RETENTION_DAYS:
    raise ImproperlyConfigured(
        "WNH_RETENTION_WARNING_DAYS must be more than 0 and less than WNH_RETENTION_DAYS"
    )
# Demand records (bookings.models.TurnedAway, one row per person turned away, and the search
# counters in Redis) are kept this many days after the day they are for, then deleted by the
# nightly "People turned away rollup" once rolled up; the daily figures stay. At least 7, so a
# week of missed nightly runs loses nothing.
WNH_DEMAND_RECORDS_DAYS = env.int("WNH_DEMAND_RECORDS_DAYS", default=90)
if WNH_DEMAND_RECORDS_DAYS < 7:
    raise ImproperlyConfigured("WNH_DEMAND_RECORDS_DAYS must be at least 7.")

# A centre's page for a day, as everyone sees it who holds no seat that day, is kept in the
# cache this many seconds at most, keyed by versions the database raises in every writing
# transaction (bookings/centre_pages/page_cache.py, docs/performance.md). 0 turns it off.
# PostgreSQL only: SQLite keeps no versions, and there every page is rendered afresh.
WNH_PAGE_CACHE_SECONDS = env.int("WNH_PAGE_CACHE_SECONDS", default=300)
if WNH_PAGE_CACHE_SECONDS < 0:
    raise ImproperlyConfigured("WNH_PAGE_CACHE_SECONDS must be 0 (off) or more.")

# Bookings, reserved pod-days and their counts are partitioned by month on PostgreSQL
# (wnh/partitioning.py, bookings/operations/partitions.py). The nightly "Partitions" task
# keeps the months up to WNH_PARTITION_MONTHS_AHEAD after this one created (later days land
# in the default partition until their month is made), and detaches months older than
# WNH_PARTITION_ONLINE_MONTHS into the `archive` schema (0: never). The first partitioning
# (the migration) also creates WNH_PARTITION_MONTHS_BACK months before this one.
WNH_PARTITION_MONTHS_AHEAD = env.int("WNH_PARTITION_MONTHS_AHEAD", default=12)
WNH_PARTITION_MONTHS_BACK = env.int("WNH_PARTITION_MONTHS_BACK", default=12)
WNH_PARTITION_ONLINE_MONTHS = env.int("WNH_PARTITION_ONLINE_MONTHS", default=36)
if not 1 <= WNH_PARTITION_MONTHS_AHEAD <= 60 or not 0 <= WNH_PARTITION_MONTHS_BACK <= 120:
    raise ImproperlyConfigured(
        "WNH_PARTITION_MONTHS_AHEAD must be 1-60 and WNH_PARTITION_MONTHS_BACK 0-120"
    )
if WNH_PARTITION_ONLINE_MONTHS and WNH_PARTITION_ONLINE_MONTHS < 13:
    raise ImproperlyConfigured(
        "WNH_PARTITION_ONLINE_MONTHS must be 0 (never detach) or at least 13: statements "
        "and the occupancy report read the past year"
    )
