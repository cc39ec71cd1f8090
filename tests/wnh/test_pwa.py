"""The installable app (wnh/pwa/): its manifest, the service worker's address and headers,
the pages it may keep, the strict CSP around it, and signing out clearing what was kept."""

import re
import struct
from datetime import datetime
from types import SimpleNamespace

import pytest
from django.contrib.staticfiles import finders
from django.urls import reverse

from tests.support.clock import KOLKATA
from tests.support.factories import SeatBookingFactory, UserFactory
from wnh.pwa import views as pwa_views
from wnh.pwa.offline import OFFLINE_HEADER

pytestmark = pytest.mark.django_db


def png_size(path) -> tuple[int, int]:
    with open(path, "rb") as file:
        data = file.read(24)
    assert data[:8] == b"\x89PNG\r\n\x1a\n", path
    return struct.unpack(">II", data[16:24])


def css_variable(name: str) -> str:
    with open(finders.find("css/wnh.css")) as file:
        css = file.read()
    return re.search(rf"--{name}:\s*(#[0-9a-f]{{6}})", css).group(1)


def test_the_manifest_names_the_app_its_start_its_colours_and_its_icons(client):
    response = client.get("/manifest.webmanifest")

    assert response.status_code == 200
    assert response["Content-Type"] == "application/manifest+json"
    manifest = response.json()
    assert manifest["name"]
    assert manifest["short_name"] == "WNH Seats"
    assert manifest["start_url"] == reverse("bookings:mine")
    assert manifest["scope"] == "/"
    assert manifest["display"] == "standalone"
    assert manifest["theme_color"] == css_variable("brand")
    assert manifest["background_color"] == css_variable("bg")
    sizes = {}
    for icon in manifest["icons"]:
        path = finders.find(icon["src"].removeprefix("/static/"))
        assert path, icon
        width, height = png_size(path)
        assert icon["sizes"] == f"{width}x{height}", icon
        assert icon["type"] == "image/png"
        sizes.setdefault(icon["purpose"], set()).add(width)
    assert {192, 512} <= sizes["any"]
    assert 512 in sizes["maskable"]


def test_the_manifest_speaks_the_language_the_page_names(client):
    malayalam = client.get("/manifest.webmanifest?lang=ml").json()
    english = client.get("/manifest.webmanifest?lang=xx").json()

    assert malayalam["lang"] == "ml"
    assert re.search("[\u0d00-\u0d7f]", malayalam["name"]), malayalam["name"]
    assert english["lang"] == "en"
    assert english["name"] == "WNH Seats: Work Near Home"


@pytest.mark.parametrize("language", ["en", "ml"])
def test_every_page_links_the_manifest_its_icon_and_the_worker_script(client, language):
    client.cookies["django_language"] = language
    html = client.get("/").content.decode()

    assert f'<link rel="manifest" href="/manifest.webmanifest?lang={language}">' in html
    assert '<meta name="theme-color" content="#0b5d4b">' in html
    apple = re.search(r'rel="apple-touch-icon" href="([^"]+)"', html).group(1)
    assert png_size(finders.find(apple.removeprefix("/static/"))) == (180, 180)
    assert 'src="/static/js/pwa.js" defer data-service-worker="/sw.js"' in html
    # No inline script: every <script> has a src.
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html)


def test_the_service_worker_is_served_from_the_root_and_never_kept_long(client):
    response = client.get("/sw.js")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/javascript; charset=utf-8"
    assert response["Service-Worker-Allowed"] == "/"
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]
    body = response.content.decode()
    assert f'const VERSION = "{pwa_views.static_version()}";' in body
    assert '"/static/css/wnh.css"' in body
    assert '"/offline/"' in body


def test_the_service_worker_is_the_same_for_everyone(client, professional):
    anonymous = client.get("/sw.js").content
    client.cookies["django_language"] = "ml"
    client.force_login(professional)

    assert client.get("/sw.js").content == anonymous


def test_a_deploy_that_changes_the_static_files_changes_the_service_worker(client, monkeypatch):
    """collectstatic's manifest storage (production) names the version of all the files."""
    before = client.get("/sw.js").content
    monkeypatch.setattr(pwa_views, "staticfiles_storage", SimpleNamespace(manifest_hash="a1"))
    after = client.get("/sw.js").content
    monkeypatch.setattr(pwa_views, "staticfiles_storage", SimpleNamespace(manifest_hash="b2"))

    assert before != after != client.get("/sw.js").content


def test_the_csp_allows_our_own_worker_and_manifest_and_nothing_more(client):
    policy = client.get("/")["Content-Security-Policy"]
    directives = {
        part.split()[0]: " ".join(part.split()[1:]) for part in policy.split(";") if part.strip()
    }

    assert directives["worker-src"] == "'self'"
    assert directives["manifest-src"] == "'self'"
    assert directives["default-src"] == "'self'"
    assert directives["connect-src"] == "'self'"
    # The nonce appears only when a page uses it.
    assert re.fullmatch(r"'self'( 'nonce-[^']+')?", directives["script-src"])
    assert re.fullmatch(r"'self'( 'nonce-[^']+')?", directives["style-src"])
    assert "unsafe" not in policy


def test_my_bookings_and_the_check_in_page_are_marked_as_the_persons_to_keep(
    client, professional, other_professional, centre
):
    client.force_login(professional)
    mine = client.get(reverse("bookings:mine"))
    check_in = client.get(reverse("centres:check_in_by_code", args=[centre.slug]))
    client.force_login(other_professional)
    theirs = client.get(reverse("bookings:mine"))

    assert mine[OFFLINE_HEADER] == check_in[OFFLINE_HEADER]
    assert theirs[OFFLINE_HEADER] != mine[OFFLINE_HEADER]
    assert re.fullmatch("[0-9a-f]{20}", mine[OFFLINE_HEADER])  # a keyed hash, not the id


def test_no_other_page_and_no_post_is_marked_to_keep(client, professional, centre):
    client.force_login(professional)

    for path in ["/", reverse("accounts:profile"), centre.get_absolute_url(), "/offline/"]:
        assert OFFLINE_HEADER not in client.get(path), path
    posted = client.post(
        reverse("centres:check_in_by_code", args=[centre.slug]), {"code": "000000"}
    )
    assert OFFLINE_HEADER not in posted
    client.logout()
    assert OFFLINE_HEADER not in client.get(reverse("bookings:mine"))


def test_my_bookings_says_when_it_was_fetched_and_where_each_seat_is(
    client, clock, professional, seat, next_open_day
):
    SeatBookingFactory(user=professional, seat=seat, day=next_open_day)
    clock.move_to(datetime(2026, 12, 2, 9, 41, tzinfo=KOLKATA))
    client.force_login(professional)

    html = client.get(reverse("bookings:mine")).content.decode()

    assert "As of 09:41." in html
    assert seat.pod.centre.address in html
    assert seat.label in html


def test_signing_out_tells_the_browser_to_clear_what_it_kept(client, professional):
    client.force_login(professional)

    assert "Clear-Site-Data" not in client.get(reverse("bookings:mine"))
    assert "Clear-Site-Data" not in client.get(reverse("account_logout"))  # the question
    response = client.post(reverse("account_logout"))

    assert response.status_code == 302
    assert response["Clear-Site-Data"] == '"cache", "storage"'


def test_a_visitor_who_was_not_signed_in_clears_nothing(client):
    assert "Clear-Site-Data" not in client.post(reverse("account_logout"))


def test_the_offline_page_is_in_both_languages(client):
    english = client.get("/offline/").content.decode()
    client.cookies["django_language"] = "ml"
    malayalam = client.get("/offline/").content.decode()

    assert "You are offline" in english
    assert "You are offline" not in malayalam
    assert 'id="offline-note"' not in english  # the page itself says it


def test_someone_else_is_never_named_in_the_worker_or_manifest(client):
    someone = UserFactory(email="chitra@example.com")
    client.force_login(someone)

    assert b"chitra" not in client.get("/sw.js").content
    assert b"chitra" not in client.get("/manifest.webmanifest").content
