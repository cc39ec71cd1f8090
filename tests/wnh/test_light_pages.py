"""Light pages for rural links (issue 14): HTML goes out gzipped, and htmx only to the page
that uses it (the seat map)."""

import gzip

import pytest

from tests.support.factories import CentreFactory, PodFactory

pytestmark = pytest.mark.django_db


def test_pages_go_out_gzipped_to_a_browser_that_accepts_it(client):
    response = client.get("/", headers={"accept-encoding": "gzip, deflate, br"})
    assert response["Content-Encoding"] == "gzip"
    assert "Accept-Encoding" in response["Vary"]
    assert b"WNH Seats" in gzip.decompress(response.content)


def test_csrf_tokens_stay_masked_so_each_answer_differs(client):
    """BREACH: a secret that repeats byte for byte in compressed answers can be guessed."""
    first = client.get("/accounts/login/").content.decode()
    second = client.get("/accounts/login/").content.decode()
    token = 'name="csrfmiddlewaretoken" value="'
    assert first.split(token)[1][:64] != second.split(token)[1][:64]


def test_htmx_loads_only_on_the_seat_map(client):
    centre = CentreFactory()
    PodFactory(centre=centre, capacity=4)
    assert "htmx" not in client.get("/").content.decode()
    assert "htmx" not in client.get("/centres/").content.decode()
    assert "htmx.min.js" in client.get(centre.get_absolute_url()).content.decode()
