"""Every admin page K-DISC staff open passes axe-core: its list, its add page, its change
page, for every registered ModelAdmin, with a row of every kind
(tests/bookings/admin/objects.py)."""

import pytest
from django.contrib import admin
from django.urls import reverse

from tests.bookings.admin.objects import make_every_kind_of_object
from tests.e2e.conftest import assert_accessible, log_in

REGISTERED = [
    pytest.param(model, id=model._meta.label)
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label)
]


@pytest.fixture
def officer_session(page, live_server, staff_user):
    objects = make_every_kind_of_object(staff_user=staff_user)
    page.set_viewport_size({"width": 1280, "height": 900})
    log_in(page, live_server, staff_user.email)
    return page, objects


def pages_of(model, objects) -> list[str]:
    opts = model._meta
    name = f"admin:{opts.app_label}_{opts.model_name}"
    obj = objects.get(opts.label) or model._default_manager.order_by("pk").first()
    return [
        reverse(f"{name}_changelist"),
        reverse(f"{name}_add"),
        *([reverse(f"{name}_change", args=[obj.pk])] if obj else []),
    ]


@pytest.mark.parametrize("model", REGISTERED)
def test_the_admin_pages_of_every_model_pass_axe(officer_session, live_server, model):
    page, objects = officer_session
    for path in pages_of(model, objects):
        response = page.goto(live_server.url + path)
        if response.status == 403:  # not for K-DISC staff: nothing to see
            continue
        assert response.status == 200, path
        assert_accessible(page)


def test_the_front_page_and_the_decision_pages_pass_axe(officer_session, live_server):
    page, objects = officer_session
    company = objects["companies.Company"]
    for path in [
        reverse("admin:index"),
        reverse("admin:companies_company_decide", args=[company.pk, "approve"]),
        reverse("admin:bookings_occupancy_report"),
        reverse("admin:bookings_no_shows"),
    ]:
        assert page.goto(live_server.url + path).status == 200
        assert_accessible(page)
