"""Browser tests: Playwright drives Debian's Chromium against pytest-django's live server.

Every test here is marked e2e. Without /usr/bin/chromium they skip on a laptop (with the
reason) and fail under CI, where .ci/run installs it.
"""

import os
import re
import shutil
from pathlib import Path

import pytest

from tests import ROOT_DIR
from tests.support.factories import CentreFactory, PodFactory

CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
ARTIFACTS = ROOT_DIR / "test-artifacts"

# Playwright's sync API runs an event loop in the test's thread; Django's ORM calls made by
# the test itself (fixtures, assertions) must be allowed there.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_collection_modifyitems(config, items):
    here = Path(__file__).parent
    for item in items:
        if here in Path(item.fspath).parents:
            item.add_marker(pytest.mark.e2e)
            if not os.path.exists(CHROMIUM):
                if os.environ.get("CI", "").lower() in ("1", "true", "yes"):
                    raise pytest.UsageError(f"CI=true but there is no Chromium for {item.nodeid}")
                item.add_marker(pytest.mark.skip(reason="needs Chromium: make e2e-browser"))


@pytest.fixture(autouse=True)
def _rows_migrations_made(request):
    """What data migrations and post_migrate made, back after an earlier test's flush:
    the Site allauth needs, the K-DISC staff group, the Kerala localities."""
    if "live_server" not in request.fixturenames:
        return
    request.getfixturevalue("transactional_db")
    from django.apps import apps

    from accounts.site import sync_site
    from accounts.staff import sync_kdisc_staff_group
    from centres.models import Locality
    from centres.post_offices import load_localities

    sync_site()
    sync_kdisc_staff_group(apps)
    if not Locality.objects.exists():
        load_localities(Locality)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-dev-shm-usage",
            "--disable-background-networking",
            "--disable-component-update",
            "--no-first-run",
        ],
    }


@pytest.fixture
def artifacts() -> Path:
    ARTIFACTS.mkdir(exist_ok=True)
    return ARTIFACTS


@pytest.fixture
def console_errors(page):
    """Console errors and failed requests seen by the page (CSP violations show here)."""
    errors: list[str] = []
    page.on("console", lambda msg: msg.type == "error" and errors.append(msg.text))
    page.on("pageerror", lambda exc: errors.append(str(exc)))
    return errors


def assert_accessible(page) -> None:
    """axe-core (bundled by axe-playwright-python, no network) finds nothing serious."""
    from axe_playwright_python.sync_playwright import Axe

    # No preload: axe would fetch the page's stylesheets again and resolve their @imports
    # against the page's address (the admin's forms.css imports widgets.css), 404s that are
    # the tool's, not the portal's. Only its orientation-lock rule reads that CSSOM.
    results = Axe().run(page, options={"preload": False})
    serious = [
        violation
        for violation in results.response["violations"]
        if violation["impact"] in ("serious", "critical")
    ]
    assert not serious, results.generate_report()


def log_in(page, live_server, email: str, password: str = "a-long-test-password") -> None:
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label(re.compile("email", re.I)).fill(email)
    page.get_by_label(re.compile("password", re.I)).first.fill(password)
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    page.wait_for_load_state()


def log_in_staff(page, live_server, user, password: str = "a-long-test-password") -> None:
    """Staff log in with their password, then the code of their authenticator app."""
    from tests.support.second_factor import give_totp, totp_code

    secret = give_totp(user)
    log_in(page, live_server, user.email, password)
    assert "/accounts/2fa/authenticate/" in page.url, page.url
    page.get_by_label(re.compile("code", re.I)).fill(totp_code(secret))
    page.get_by_role("button", name=re.compile("sign in|log in", re.I)).click()
    page.wait_for_load_state()
    assert "/accounts/" not in page.url, page.url


# -- a 360 px phone, and a centre as big as Kottarakkara's ------------------------------

PHONE = {"width": 360, "height": 740}
DESKTOP = {"width": 1280, "height": 900}


def phone(browser, **kwargs):
    context = browser.new_context(
        viewport=PHONE,
        screen=PHONE,
        is_mobile=True,
        has_touch=True,
        device_scale_factor=2,
        locale="en-US",
        **kwargs,
    )
    return context, context.new_page()


@pytest.fixture
def big_centre():
    """A centre of ten pods of twelve seats, as in the issue (120 seats)."""
    centre = CentreFactory(name="Kottarakkara", slug="kottarakkara")
    for n in range(1, 11):
        PodFactory(centre=centre, code=f"P{n:02d}", capacity=12)
    return centre
