"""A fuzz of the admin's add, change, delete and history pages of every registered model, as a
superuser with a second factor: real and odd ids, the list's return parameters
(_changelist_filters, _to_field, _popup, o, p, q, the date hierarchy's), garbage POST bodies.
No answer may be a 5xx. The odd values and the world come from tests/support/fuzz.py.
"""

import pytest
from django.test import Client
from django.urls import reverse
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.support.fuzz import FUZZ_EXAMPLES, FUZZ_SETTINGS, ODD, SENT, _encode, answer
from tests.support.second_factor import force_login_staff

pytestmark = pytest.mark.django_db


# -- the admin's forms: add, change, delete and history of every registered model -----------

ADMIN_VIEWS = ["add", "change", "delete", "history"]
ODD_IDS = ["0", "-1", "9" * 25, "x", "%00", "a" * 300, "_5F", "1.5", "²", " ", "1%2F2", "null"]
ADMIN_PARAMS = [
    "_changelist_filters", "_to_field", "_popup", "o", "p", "q", "e", "all", "_facets",
    "day__year", "day__month", "day__day", "first_day__year", "first_day__month",
    "status__exact", "when", "centre__id__exact", "pod__centre__id__exact",
]  # fmt: skip
# What the admin's list hands its forms to come back to: a list's own odd query string.
CHANGELIST_FILTERS = st.dictionaries(
    st.sampled_from(ADMIN_PARAMS[3:]), ODD.map(lambda v: v[:40]), max_size=3
).map(lambda query: _encode(query))
BUTTONS = ["_save", "_continue", "_addanother", "_saveasnew", "post", "_popup", "_to_field"]


def admin_query(data, model):
    names = [field.name for field in model._meta.fields] + ["password", "x"]
    query = data.draw(
        st.dictionaries(st.sampled_from(ADMIN_PARAMS), st.lists(ODD, min_size=1, max_size=2))
        | st.just({}),
        label="admin query",
    )
    if data.draw(st.booleans()):
        query["_changelist_filters"] = data.draw(CHANGELIST_FILTERS)
    if data.draw(st.booleans()):
        query["_to_field"] = data.draw(st.sampled_from(names) | ODD)
    return query


def admin_body(data, model):
    """The model's own field names (and a formset's management form), with odd values."""
    names = [field.name for field in model._meta.get_fields() if field.concrete]
    names += ["password1", "password2", "regtask", "INITIAL_FORMS", "TOTAL_FORMS"]
    chosen = data.draw(st.lists(st.sampled_from(names), max_size=6, unique=True))
    body = {name: data.draw(st.lists(ODD, min_size=1, max_size=2)) for name in chosen}
    body.update(dict.fromkeys(data.draw(st.lists(st.sampled_from(BUTTONS), max_size=2)), "1"))
    return body


@pytest.fixture
def admin_world(world):
    from tests.bookings.admin.objects import make_every_kind_of_object

    rows = make_every_kind_of_object(staff_user=world["people"]["staff"])
    rows["accounts.User"] = world["people"]["professional"]  # not the superuser fuzzing
    return rows


def test_no_request_to_the_admins_forms_makes_the_admin_answer_5xx(world, admin_world):
    """Every registered model's add, change, delete and history page, as a superuser with a
    second factor: real ids and odd ones, the list's return parameters, garbage POST bodies.
    A real row's delete page is only looked at (a POST of anything there deletes it)."""
    from django.contrib import admin

    superuser = world["people"]["staff"]
    pages = []
    for model in sorted(admin.site._registry, key=lambda model: model._meta.label):
        row = admin_world.get(model._meta.label) or model._default_manager.order_by("pk").first()
        real = str(row.pk) if row is not None else "1"
        opts = model._meta
        for view in ADMIN_VIEWS:
            pages.append((model, view, f"admin:{opts.app_label}_{opts.model_name}_{view}", real))

    @settings(max_examples=FUZZ_EXAMPLES, **FUZZ_SETTINGS)
    @given(data=st.data())
    def fuzz(data):
        client = force_login_staff(Client(), superuser)
        for model, view, name, real in pages:
            object_id = data.draw(st.sampled_from([real, real] + ODD_IDS), label=name)
            if view == "add":
                path = reverse(name)
            else:
                path = reverse(name, args=["0"]).replace("/0/", f"/{object_id}/", 1)
            query = admin_query(data, model)
            method = data.draw(st.sampled_from(["get", "post"]), label=f"{name} method")
            if method == "post" and view == "delete" and object_id == real:
                method = "get"
            if method == "get":
                response = answer(client, "get", path, query)
            else:
                SENT["requests"] += 1
                response = client.post(f"{path}?{_encode(query)}", admin_body(data, model))
            assert response.status_code < 500, (method, path, query, response.status_code)

    fuzz()
