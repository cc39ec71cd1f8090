"""The README's production recipe, run for real: `make setup`, then gunicorn with debug off.

A temporary folder holds the SQLite database and the collected static files; gunicorn binds
127.0.0.1 on a port the OS picked, and every request carries X-Forwarded-Proto: https as the
documented load balancer sends it. The test stops gunicorn itself.
"""

import os
import re
import secrets
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

from tests import ROOT_DIR

ROOT = ROOT_DIR
VENV_BIN = Path(sys.executable).parent
SECRET_KEY = secrets.token_urlsafe(50)
# The README's gunicorn line, with two workers and (below) a free local port to bind.
GUNICORN = [str(VENV_BIN / "gunicorn"), "--config", "deploy/gunicorn.conf.py"]
GUNICORN += ["wnh.wsgi:application", "--workers", "2"]


def production_env(folder: Path, **overrides: str | None) -> dict[str, str]:
    """The machine's environment without any of the portal's settings, plus production's."""
    ours = ("DJANGO_", "WNH_", "CELERY_", "DATABASE_URL", "REDIS_URL", "TEST_DATABASE_NAME")
    env = {name: value for name, value in os.environ.items() if not name.startswith(ours)}
    env.update(
        DJANGO_DEBUG="false",
        DJANGO_SECRET_KEY=SECRET_KEY,
        DJANGO_ALLOWED_HOSTS="127.0.0.1",
        WNH_VAR_DIR=str(folder / "var"),
        DJANGO_STATIC_ROOT=str(folder / "static"),
    )
    for name, value in overrides.items():
        if value is None:
            env.pop(name, None)
        else:
            env[name] = value
    return env


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def start_gunicorn(env: dict[str, str], port: int, log: Path) -> subprocess.Popen:
    with log.open("w") as out:
        return subprocess.Popen(  # noqa: S603 - our own venv's gunicorn
            # No control socket: gunicorn's default one is per machine user, and other
            # runs of this suite may be starting their own gunicorn at the same time.
            [*GUNICORN, "--bind", f"127.0.0.1:{port}", "--graceful-timeout", "5"]
            + ["--no-control-socket"],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own process group: the workers stop with it
        )


def stop(process: subprocess.Popen) -> None:
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(timeout=5)


class Site:
    def __init__(self, port: int) -> None:
        self.base = f"http://127.0.0.1:{port}"

    def get(self, path: str, *, https: bool = True):
        """(status, headers, body) of GET `path`, as the TLS-terminating balancer asks it."""
        headers = {"X-Forwarded-Proto": "https"} if https else {}
        request = urllib.request.Request(self.base + path, headers=headers)  # noqa: S310
        opener = urllib.request.build_opener(NoRedirects)
        try:
            with opener.open(request, timeout=20) as response:
                return response.status, response.headers, response.read().decode()
        except urllib.error.HTTPError as error:
            return error.code, error.headers, error.read().decode(errors="replace")


class NoRedirects(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None


@pytest.fixture(scope="module")
def production_site(tmp_path_factory):
    folder = tmp_path_factory.mktemp("production")
    env = production_env(folder)
    setup = subprocess.run(  # noqa: S603 - make, as the README says
        ["make", "--no-print-directory", "setup", f"VENV={sys.prefix}"],  # noqa: S607
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert setup.returncode == 0, setup.stdout + setup.stderr
    port = free_port()
    log = folder / "gunicorn.log"
    process = start_gunicorn(env, port, log)
    site = Site(port)
    try:
        deadline = time.monotonic() + 60
        while True:
            assert process.poll() is None, f"gunicorn stopped:\n{log.read_text()}"
            assert time.monotonic() < deadline, f"gunicorn did not answer:\n{log.read_text()}"
            try:
                if site.get("/healthz")[0] == 200:
                    break
            except OSError:
                pass
            time.sleep(0.2)
        yield site, folder
    finally:
        stop(process)


def test_make_setup_collects_the_static_files_with_their_hashed_names(production_site):
    _, folder = production_site

    manifest = (folder / "static" / "staticfiles.json").read_text()

    assert re.search(r'"css/wnh\.css": "css/wnh\.[0-9a-f]{12}\.css"', manifest)


@pytest.mark.parametrize("path", ["/", "/centres/", "/accounts/login/"])
def test_gunicorn_with_debug_off_answers_the_pages(production_site, path):
    site, _ = production_site

    status, headers, body = site.get(path)

    assert status == 200, body[:2000]
    assert re.search(r'href="/static/css/wnh\.[0-9a-f]{12}\.css"', body)
    assert "max-age=31536000" in headers["Strict-Transport-Security"]
    assert "camera=()" in headers["Permissions-Policy"]


def test_gunicorn_serves_the_hashed_stylesheet_the_pages_link(production_site):
    site, _ = production_site
    _, _, home = site.get("/")
    stylesheet = re.search(r'href="(/static/css/wnh\.[0-9a-f]{12}\.css)"', home).group(1)

    status, headers, body = site.get(stylesheet)

    assert status == 200
    assert headers["Content-Type"].startswith("text/css")
    assert "immutable" in headers["Cache-Control"]
    assert "body" in body


def test_an_unknown_address_gets_the_portals_404_page_not_the_debug_page(production_site):
    site, _ = production_site

    status, _, body = site.get("/no-such-page/?month=9999-99")

    assert status == 404
    assert "WNH Seats" in body
    assert "DJANGO_SECRET_KEY" not in body
    assert "Using the URLconf" not in body  # Django's debug 404


def test_plain_http_is_sent_to_https(production_site):
    site, _ = production_site

    status, headers, _ = site.get("/centres/", https=False)

    assert status == 301
    assert headers["Location"] == f"https://{site.base.removeprefix('http://')}/centres/"


# Exotel (SMS_URL=exotel://) with every piece it needs: tests below take one away.
EXOTEL = {
    "SMS_URL": "exotel://",
    "SMS_EXOTEL_ACCOUNT_SID": "kdisc-wnh",
    "SMS_EXOTEL_API_KEY": "exo-key-5f1c9a7e2b",
    "SMS_EXOTEL_API_TOKEN": "exo-token-9d8c7b6a5f4e3d2c1b0a",
    "SMS_DLT_ENTITY_ID": "1201160000000012345",
    "SMS_SENDER": "WNHSTS",
    "SMS_TEMPLATE_CODE": "1207160000000000001",
    "SMS_TEMPLATE_UNKNOWN_ACCOUNT": "1207160000000000002",
    "SMS_TEMPLATE_REMINDER": "1207160000000000003",
    "SMS_TEMPLATE_WAITLIST_OFFER": "1207160000000000004",
}


def load_settings(env: dict[str, str]) -> subprocess.CompletedProcess:
    show = "from django.conf import settings; print(settings.DEBUG, settings.STORAGES)"
    return subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env={**env, "DJANGO_SETTINGS_MODULE": "wnh.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )


@pytest.mark.parametrize(
    ("overrides", "variable"),
    [
        (
            {"DJANGO_SECRET_KEY": "django-insecure-wnh-seats-local-development-only"},
            "DJANGO_SECRET_KEY",
        ),
        ({"DJANGO_ALLOWED_HOSTS": None}, "DJANGO_ALLOWED_HOSTS"),
    ],
    ids=["development key", "no hosts"],
)
def test_gunicorn_refuses_to_start_on_development_values(tmp_path, overrides, variable):
    log = tmp_path / "gunicorn.log"
    process = start_gunicorn(production_env(tmp_path, **overrides), free_port(), log)
    try:
        process.wait(timeout=60)
    finally:
        stop(process)

    refusals = [line for line in log.read_text().splitlines() if "ImproperlyConfigured:" in line]
    assert process.returncode != 0
    assert refusals, log.read_text()
    assert variable in refusals[-1]


@pytest.mark.parametrize(
    ("overrides", "refusal"),
    [
        ({"DJANGO_SECRET_KEY": None}, "Set DJANGO_SECRET_KEY"),
        ({"DJANGO_DEBUG": None, "DJANGO_SECRET_KEY": None}, "Set DJANGO_SECRET_KEY"),
        ({"DJANGO_SECRET_KEY": "too-short-to-sign-anything"}, "DJANGO_SECRET_KEY is too weak"),
        ({"DJANGO_SECRET_KEY": "django-insecure-" + "k" * 60}, "DJANGO_SECRET_KEY is too weak"),
        ({"DJANGO_ALLOWED_HOSTS": ""}, "Set DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": " , "}, "Set DJANGO_ALLOWED_HOSTS"),
        ({"DJANGO_ALLOWED_HOSTS": "seats.example,*"}, "DJANGO_ALLOWED_HOSTS must name"),
        ({"SMS_URL": "smtp://sms.example"}, "SMS_URL must start with one of"),
    ],
    ids=[
        *("no key", "no key nor debug", "short key", "insecure prefix"),
        *("empty", "blank", "any", "sms"),
    ],
)
def test_production_settings_refuse_a_missing_or_unsafe_value(tmp_path, overrides, refusal):
    result = load_settings(production_env(tmp_path, **overrides))

    assert result.returncode != 0
    assert f"ImproperlyConfigured: {refusal}" in result.stderr


@pytest.mark.parametrize(
    "missing",
    [name for name in EXOTEL if name != "SMS_URL"],
)
def test_production_refuses_exotel_without_each_of_its_pieces(tmp_path, missing):
    result = load_settings(production_env(tmp_path, **{**EXOTEL, missing: None}))

    assert result.returncode != 0
    [refusal] = [line for line in result.stderr.splitlines() if "ImproperlyConfigured:" in line]
    assert "SMS_URL is exotel://, so set" in refusal
    assert missing in refusal
    assert EXOTEL["SMS_EXOTEL_API_TOKEN"] not in result.stderr
    assert EXOTEL["SMS_EXOTEL_API_KEY"] not in result.stderr


def test_production_refuses_exotel_over_plain_http(tmp_path):
    env = production_env(tmp_path, **EXOTEL, SMS_EXOTEL_BASE_URL="http://127.0.0.1:8211")

    result = load_settings(env)

    assert result.returncode != 0
    assert "ImproperlyConfigured: SMS_EXOTEL_BASE_URL must be an https:// address" in result.stderr


def test_production_starts_with_every_exotel_piece_set(tmp_path):
    show = (
        "from django.conf import settings; o = settings.SMS_OPTIONS; "
        "print(settings.SMS_BACKEND, o['base_url'], o['templates']['reminder'])"
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "-c", f"import django; django.setup(); {show}"],
        cwd=ROOT,
        env={**production_env(tmp_path, **EXOTEL), "DJANGO_SETTINGS_MODULE": "wnh.settings"},
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == [
        "wnh.sms.exotel.ExotelBackend",
        "https://api.in.exotel.com",
        "1207160000000000003",
    ]


def test_without_django_debug_the_settings_are_production_ones(tmp_path):
    result = load_settings(production_env(tmp_path, DJANGO_DEBUG=None))

    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("False ")
    assert "CompressedManifestStaticFilesStorage" in result.stdout


def test_the_readme_production_block_is_the_recipe_this_file_runs():
    readme = (ROOT / "README.md").read_text()
    block = re.search(r"```sh\n(# Production.*?)```", readme, re.DOTALL).group(1)

    assert "export DJANGO_DEBUG=false" in block
    assert "export DJANGO_SECRET_KEY=" in block
    assert "export DJANGO_ALLOWED_HOSTS=" in block
    assert "\nmake setup" in block
    gunicorn = "\n.venv/bin/gunicorn --config deploy/gunicorn.conf.py wnh.wsgi:application"
    assert f"{gunicorn} --workers 4" in block
    assert "seed_demo" not in block  # demo accounts share a published password


def test_rundemo_needs_no_environment_on_a_fresh_clone(tmp_path):
    env = production_env(
        tmp_path, DJANGO_DEBUG=None, DJANGO_SECRET_KEY=None, DJANGO_ALLOWED_HOSTS=None
    )
    result = subprocess.run(  # noqa: S603 - our own interpreter
        [sys.executable, "manage.py", "rundemo", "--help"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )

    assert result.returncode == 0, result.stderr
    assert "Run the web server and a Celery worker" in result.stdout


def test_rundemo_refuses_to_serve_with_debug_off(settings):
    from unittest import mock

    from django.core.management import CommandError, call_command

    settings.DEBUG = False
    commands = "devtools.management.commands.rundemo"
    with (
        mock.patch(f"{commands}.subprocess.Popen") as worker,
        mock.patch(f"{commands}.call_command") as runserver,
        pytest.raises(CommandError, match="DJANGO_DEBUG is false"),
    ):
        call_command("rundemo")
    worker.assert_not_called()
    runserver.assert_not_called()
