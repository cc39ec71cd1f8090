"""The pages a government site must have (GIGW 3.0): public, in both languages, with the
owner and the links to each other on every page, and a "last updated" date that is the
page's own, not the day it is read."""

import re
from datetime import datetime

import pytest
import time_machine
from django.urls import reverse

from accounts import notice
from tests.support.clock import KOLKATA
from tests.support.factories import UserFactory
from wnh.site_pages.updated import LAST_UPDATED

MALAYALAM = re.compile("[\u0d00-\u0d7f]")
NEW_PAGES = ["about", "terms", "accessibility", "contact"]
CONTENT_PAGES = ["about", "terms", "privacy_notice", "accessibility"]
FOOTER_LINKS = ["about", "contact", "terms", "privacy_notice", "accessibility", "sitemap"]
OWNER = "Kerala Development and Innovation Strategic Council (K-DISC), Government of Kerala"


def heading(html: str) -> str:
    return re.search(r"<h1>(.*?)</h1>", html, re.S).group(1)


@pytest.mark.parametrize("page", [*NEW_PAGES, "privacy_notice", "contact_thanks"])
def test_each_page_answers_anyone_in_english(client, db, page):
    response = client.get(reverse(page))
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="en"[ >]', html)
    assert not MALAYALAM.search(heading(html))


@pytest.mark.parametrize("page", [*NEW_PAGES, "privacy_notice", "contact_thanks"])
def test_each_page_answers_anyone_in_malayalam(client, db, page):
    response = client.get(reverse(page), HTTP_ACCEPT_LANGUAGE="ml")
    assert response.status_code == 200
    html = response.content.decode()
    assert re.search(r'<html lang="ml"[ >]', html)
    assert MALAYALAM.search(heading(html)), heading(html)
    assert "കേരള" in html  # the owner, in the footer


def test_the_about_page_says_who_runs_the_network(client, db):
    html = client.get(reverse("about")).content.decode()
    assert "Work Near Home" in html
    assert "Kerala Development and Innovation Strategic Council (K-DISC)" in html
    assert f'href="{reverse("contact")}"' in html


def test_the_accessibility_statement_names_its_target_its_gaps_and_how_to_report(
    client, db, settings
):
    settings.FEEDBACK_EMAIL = "barriers@kdisc.example"
    html = client.get(reverse("accessibility")).content.decode()
    assert "WCAG) 2.1 at level AA" in html
    assert "What does not meet it yet" in html
    assert f'href="{reverse("contact")}"' in html
    assert "mailto:barriers@kdisc.example" in html


@pytest.mark.parametrize(
    "path",
    [
        "/",
        "/centres/",
        "/about/",
        "/terms/",
        "/accessibility/",
        "/contact/",
        "/contact/thanks/",
        "/privacy/",
        "/accounts/login/",
        "/accounts/signup/",
        "/no-such-page/",
    ],
)
def test_every_page_has_the_owner_and_the_site_links_in_its_footer(client, db, path):
    html = client.get(path).content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert OWNER in footer
    for name in FOOTER_LINKS:
        assert f'href="{reverse(name)}"' in footer, name


def test_a_signed_in_person_sees_the_footer_too(client, db):
    client.force_login(UserFactory())
    html = client.get(reverse("bookings:mine")).content.decode()
    assert OWNER in html
    assert f'href="{reverse("accessibility")}"' in html


def test_the_admin_pages_carry_the_footer_too(client, staff_user):
    from tests.support.second_factor import force_login_staff

    force_login_staff(client, staff_user)
    html = client.get(reverse("admin:index")).content.decode()
    footer = re.search(r'<footer id="footer">(.*?)</footer>', html, re.S).group(1)
    assert OWNER in footer
    for name in FOOTER_LINKS:
        assert f'href="{reverse(name)}"' in footer, name


def test_the_footer_is_in_malayalam_on_a_malayalam_page(client, db):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="ml").content.decode()
    footer = re.search(r'<footer class="site-footer">(.*?)</footer>', html, re.S).group(1)
    assert "K-DISC" in footer
    assert OWNER not in footer
    assert MALAYALAM.search(footer)


@pytest.mark.parametrize("page", CONTENT_PAGES)
def test_a_content_page_shows_the_day_its_text_last_changed_not_today(client, db, page):
    last_updated = LAST_UPDATED.get(page) or datetime.fromisoformat(notice.VERSION).date()
    with time_machine.travel(datetime(2027, 3, 15, 11, 0, tzinfo=KOLKATA)):
        html = client.get(reverse(page)).content.decode()
    assert f'<time datetime="{last_updated.isoformat()}">' in html
    assert "Last updated" in html
    assert "2027-03-15" not in html
    assert "15 March 2027" not in html


@pytest.mark.parametrize("page", [*NEW_PAGES, "privacy_notice", "contact_thanks"])
def test_the_pages_need_no_inline_script_or_style_under_the_csp(client, db, page):
    response = client.get(reverse(page))
    policy = response["Content-Security-Policy"]
    assert "unsafe-inline" not in policy
    html = response.content.decode()
    assert not re.search(r"<script(?![^>]*\bsrc=)", html)
    assert "<style" not in html
    assert not re.search(r"\sstyle=", html)
    assert not re.search(r"\son[a-z]+=", html)


def test_the_content_pages_refuse_a_post(client, db):
    assert client.post(reverse("about")).status_code == 405
