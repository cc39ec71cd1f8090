"""/sitemap.xml lists the public pages, each open centre's, and when each last changed."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse
from django.utils import timezone

from accounts import notice
from accounts.site import sync_site
from centres.models import Centre
from tests.support.factories import CentreFactory
from wnh.site_pages.updated import LAST_UPDATED

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


@pytest.fixture(autouse=True)
def _on_the_base_url(settings):
    settings.WNH_BASE_URL = "https://seats.wnh.example"
    sync_site()  # as every migrate does: the Site's domain is the base URL's


def sitemap(client) -> dict[str, str]:
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    return {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS).text
        for url in root.findall("s:url", NS)
    }


def test_it_lists_the_public_pages_with_their_dates(client):
    CentreFactory(name="Kottarakkara")
    urls = sitemap(client)

    def at(name: str) -> str:
        return f"https://seats.wnh.example{reverse(name)}"

    for name in ["home", "centres:list", "about", "contact", "terms", "privacy_notice"]:
        assert at(name) in urls, name
    assert at("accessibility") in urls
    assert urls[at("about")] == LAST_UPDATED["about"].isoformat()
    assert urls[at("accessibility")] == LAST_UPDATED["accessibility"].isoformat()
    assert urls[at("privacy_notice")] == date.fromisoformat(notice.VERSION).isoformat()
    assert all(urls.values()), urls


def test_it_lists_each_open_centre_and_no_other(client):
    open_centre = CentreFactory(name="Kottarakkara")
    CentreFactory(name="Kalamassery", status=Centre.Status.PLANNED)
    urls = sitemap(client)

    centre_urls = [url for url in urls if "/centres/" in url and not url.endswith("/centres/")]
    assert centre_urls == [f"https://seats.wnh.example/centres/{open_centre.slug}/"]
    assert urls[centre_urls[0]] == timezone.localdate(open_centre.updated_at).isoformat()


def test_it_asks_the_database_a_fixed_number_of_times(
    client, settings, django_assert_max_num_queries
):
    for n in range(5):
        CentreFactory(name=f"Centre {n}")
    with django_assert_max_num_queries(6):
        sitemap(client)
