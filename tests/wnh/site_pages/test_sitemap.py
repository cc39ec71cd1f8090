"""/sitemap.xml lists the public pages, each open centre's, and when each last changed."""

import xml.etree.ElementTree as ET
from datetime import date

import pytest
from django.urls import reverse

from accounts import notice
from centres.models import Centre
from tests.support.factories import CentreFactory
from wnh.site_pages.updated import LAST_UPDATED

pytestmark = pytest.mark.django_db

NS = {"s": "http://www.sitemaps.org/schemas/sitemap/0.9"}


def sitemap(client, settings) -> dict[str, str]:
    settings.WNH_BASE_URL = "https://seats.wnh.example"
    response = client.get("/sitemap.xml")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/xml")
    root = ET.fromstring(response.content)  # noqa: S314 - our own answer
    return {
        url.find("s:loc", NS).text: url.find("s:lastmod", NS).text
        for url in root.findall("s:url", NS)
    }


def test_it_lists_the_public_pages_with_their_dates(client, settings):
    CentreFactory(name="Kottarakkara")
    urls = sitemap(client, settings)

    def at(name: str) -> str:
        return f"https://seats.wnh.example{reverse(name)}"

    for name in ["home", "centres:list", "about", "contact", "terms", "privacy_notice"]:
        assert at(name) in urls, name
    assert at("accessibility") in urls
    assert urls[at("about")] == LAST_UPDATED["about"].isoformat()
    assert urls[at("accessibility")] == LAST_UPDATED["accessibility"].isoformat()
    assert urls[at("privacy_notice")] == date.fromisoformat(notice.VERSION).isoformat()
    assert all(urls.values()), urls


def test_it_lists_each_open_centre_and_no_other(client, settings):
    open_centre = CentreFactory(name="Kottarakkara")
    CentreFactory(name="Kalamassery", status=Centre.Status.PLANNED)
    urls = sitemap(client, settings)

    centre_urls = [url for url in urls if "/centres/" in url and not url.endswith("/centres/")]
    assert centre_urls == [f"https://seats.wnh.example/centres/{open_centre.slug}/"]
    assert urls[centre_urls[0]].startswith(open_centre.updated_at.date().isoformat()[:4])


def test_it_asks_the_database_a_fixed_number_of_times(client, settings, django_assert_max_num_queries):
    for n in range(5):
        CentreFactory(name=f"Centre {n}")
    with django_assert_max_num_queries(6):
        sitemap(client, settings)
