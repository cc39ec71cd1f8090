"""Every page of every registered ModelAdmin loads, and every change form saves unchanged.

Walks `admin.site._registry`, so a ModelAdmin registered later is covered without touching
this file; it only needs a row in tests/bookings/admin/objects.py, and the test says so
when it has none. Each form is read from the rendered page as a browser submits it
(tests/bookings/admin/forms.py), so a widget that cannot show its own value (a weekday mask
in a number box) fails here.
"""

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import RequestFactory
from django.urls import reverse

from tests.bookings.admin.forms import submitted_fields
from tests.bookings.admin.objects import make_every_kind_of_object
from tests.support.factories import UserFactory
from tests.support.second_factor import force_login_staff

REGISTERED = [
    pytest.param(model, model_admin, id=model._meta.label)
    for model, model_admin in sorted(
        admin.site._registry.items(), key=lambda item: item[0]._meta.label
    )
]
# Rows a save writes by design: the admin's own history, sessions, beat's change marker.
NOT_COMPARED = {"admin.LogEntry", "sessions.Session", "django_celery_beat.PeriodicTasks"}


@pytest.fixture
def superuser(db):
    return UserFactory(email="root@kdisc.example", is_staff=True, is_superuser=True)


@pytest.fixture
def every_kind_of_object(staff_user):
    return make_every_kind_of_object(staff_user=staff_user)


@pytest.fixture(params=["superuser", "staff_user"])
def officer(request):
    return request.getfixturevalue(request.param)


def url(model, page: str, *args) -> str:
    opts = model._meta
    return reverse(f"admin:{opts.app_label}_{opts.model_name}_{page}", args=args)


def object_of(model, objects: dict):
    obj = objects.get(model._meta.label) or model._default_manager.order_by("pk").first()
    if obj is None:
        pytest.fail(
            f"No {model._meta.label} to open: {model._meta.label} is registered in the admin; "
            "make one in tests/bookings/admin/objects.py"
        )
    return obj


def may(model_admin, user, verb: str, obj=None) -> bool:
    request = RequestFactory().get("/admin/")
    request.user = user
    if verb == "add":
        return model_admin.has_add_permission(request)
    check = getattr(model_admin, f"has_{verb}_permission")
    return check(request, obj)


# Versions the database raises on every write of the row or of what hangs on it (migration
# bookings 0009, the cached centre page's key): a save, even of an unchanged form, raises them.
RAISED = {"centres.Centre.version", "bookings.PodDayCount.version"}


def snapshot() -> dict:
    """Every row of every table the admin could touch, less the columns a save always sets."""
    rows = {}
    for model in apps.get_models(include_auto_created=True):
        if model._meta.label in NOT_COMPARED:
            continue
        names = [
            f.attname
            for f in model._meta.concrete_fields
            if not getattr(f, "auto_now", False) and f"{model._meta.label}.{f.name}" not in RAISED
        ]
        rows[model._meta.label] = list(model._default_manager.order_by("pk").values(*names))
    return rows


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED)
def test_every_admin_page_loads(client, every_kind_of_object, officer, model, model_admin):
    obj = object_of(model, every_kind_of_object)
    force_login_staff(client, officer)

    def expected(allowed: bool) -> int:
        return 200 if allowed else 403

    assert client.get(url(model, "changelist")).status_code == expected(
        may(model_admin, officer, "view")
    )
    assert client.get(url(model, "add")).status_code == expected(may(model_admin, officer, "add"))
    assert client.get(url(model, "change", obj.pk)).status_code == expected(
        may(model_admin, officer, "view", obj)
    )


@pytest.mark.parametrize(("model", "model_admin"), REGISTERED)
def test_every_change_form_saves_unchanged(
    client, every_kind_of_object, officer, model, model_admin
):
    obj = object_of(model, every_kind_of_object)
    force_login_staff(client, officer)
    page = client.get(url(model, "change", obj.pk))
    if not may(model_admin, officer, "view", obj):
        assert page.status_code == 403
        return
    assert page.status_code == 200
    data = submitted_fields(page.content.decode(), form_id=f"{model._meta.model_name}_form")
    before = snapshot()

    response = client.post(url(model, "change", obj.pk), {**data, "_save": "Save"})

    if may(model_admin, officer, "change", obj):
        errors = _form_errors(response)
        assert response.status_code == 302, f"{model._meta.label} did not save: {errors}"
    else:
        assert response.status_code == 403
    assert snapshot() == before


def _form_errors(response) -> object:
    context = getattr(response, "context", None)
    if not context or "adminform" not in context:
        return response.status_code
    errors = {"form": context["adminform"].form.errors}
    for formset in context.get("inline_admin_formsets", []):
        errors[formset.formset.prefix] = [formset.formset.non_form_errors(), formset.formset.errors]
    return errors
