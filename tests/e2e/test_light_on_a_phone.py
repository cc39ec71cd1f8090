"""Pages are light on a phone's first visit: what a cold cache transfers for the home page, the
centre list and a seat map, through the portal's own static files middleware (gzip)."""

from types import SimpleNamespace

import pytest
from django.core.handlers.wsgi import WSGIHandler
from django.test.testcases import LiveServerThread

from tests.e2e.conftest import log_in, phone
from tests.support.factories import UserFactory

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def production_static_server(settings):
    """A live server whose static files go through the portal's own middleware (whitenoise,
    gzip), as in production; pytest-django's live_server serves them raw, bypassing it.
    Whitenoise reads the files from the source folders (tests run with DEBUG off, where it
    would want collectstatic's); production's precompressed copies are no larger."""
    settings.WHITENOISE_USE_FINDERS = True
    settings.WHITENOISE_AUTOREFRESH = True
    # The handler ignores the media one LiveServerThread wraps it around (MEDIA_URL is unset,
    # so that one would serve any file under the working directory, /static/ included).
    server = LiveServerThread("127.0.0.1", static_handler=lambda _media: WSGIHandler(), port=0)
    server.daemon = True
    server.start()
    server.is_ready.wait()
    if server.error:
        raise server.error
    yield f"http://127.0.0.1:{server.port}"
    server.terminate()


def transferred(browser, base: str, path: str, log_in_as: str = "") -> tuple[int, list]:
    """Bytes on the wire (headers and encoded bodies) to open `path` with a cold cache."""
    context, page = phone(browser)
    if log_in_as:  # the login page's own files are then cached: clear them
        log_in(page, SimpleNamespace(url=base), log_in_as)
        cookies = context.cookies()
        context.close()
        context, page = phone(browser)
        context.add_cookies(cookies)
    seen = []
    page.on("requestfinished", lambda request: seen.append(request))
    page.on("requestfailed", lambda request: seen.append(request))
    page.goto(f"{base}{path}")
    page.wait_for_load_state("networkidle")
    rows = []
    for request in seen:
        assert request.failure is None, (request.url, request.failure)
        sizes = request.sizes()
        rows.append((request.url, sizes["responseHeadersSize"] + sizes["responseBodySize"]))
    context.close()
    return sum(size for _url, size in rows), rows


def test_pages_are_light_on_a_first_visit(browser, production_static_server, big_centre):
    UserFactory(email="asha@example.com")
    base = production_static_server
    home, home_rows = transferred(browser, base, "/")
    centres, centres_rows = transferred(browser, base, "/centres/")
    seat_map, map_rows = transferred(
        browser, base, big_centre.get_absolute_url(), log_in_as="asha@example.com"
    )
    open_data, open_data_rows = transferred(browser, base, "/open-data/?district=KLM")
    print({"home": home, "centres": centres, "seat map": seat_map, "open data": open_data})  # noqa: T201
    assert not any("htmx" in url for url, _size in home_rows + centres_rows)
    assert any("htmx" in url for url, _size in map_rows)
    assert home <= 30_000, home_rows
    # The service worker registers after load: none of its fetches is the first page's.
    assert not any(url.endswith("/sw.js") for url, _size in home_rows + centres_rows)
    assert centres <= 30_000, centres_rows
    assert seat_map <= 60_000, map_rows
    assert open_data <= 30_000, open_data_rows
