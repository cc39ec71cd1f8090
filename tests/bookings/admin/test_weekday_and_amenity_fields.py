"""Weekday sets and amenities are ticked, never typed as a number or as JSON."""

from django.contrib import admin
from django.test import RequestFactory

from bookings.models import MAX_RESERVATION_DAYS
from centres.models import Centre
from companies.forms import ReservationSearchForm
from wnh import weekdays


def admin_form(model, user):
    request = RequestFactory().get("/admin/")
    request.user = user
    return admin.site._registry[model].get_form(request)


def test_the_centre_admin_shows_open_weekdays_as_seven_checkboxes(staff_user):
    form = admin_form(Centre, staff_user)(initial={"open_weekdays": weekdays.MONDAY_TO_SATURDAY})
    html = str(form["open_weekdays"])

    assert html.count('type="checkbox"') == 7
    assert html.count("checked") == 6
    assert 'type="number"' not in html


def test_a_centre_saves_the_weekdays_ticked(staff_user, centre):
    data = {**_centre_data(centre), "open_weekdays": ["0", "2", "4"]}
    form = admin_form(Centre, staff_user)(data=data, instance=centre)

    assert form.is_valid(), form.errors
    assert form.save().open_weekdays == weekdays.mask_of([0, 2, 4])


def test_a_centre_with_no_weekday_ticked_is_refused(staff_user, centre):
    form = admin_form(Centre, staff_user)(data={**_centre_data(centre)}, instance=centre)

    assert "open_weekdays" in form.errors


def test_amenities_are_checkboxes_and_an_unlisted_one_is_kept(staff_user, centre):
    centre.amenities = ["Power backup", "Rooftop garden"]
    form = admin_form(Centre, staff_user)(instance=centre)
    html = str(form["amenities"])

    assert 'type="checkbox"' in html
    assert "Rooftop garden" in html
    assert "[" not in html  # no JSON
    bound = admin_form(Centre, staff_user)(
        data={
            **_centre_data(centre),
            "open_weekdays": ["0"],
            "amenities": ["Power backup", "Rooftop garden", "Parking"],
        },
        instance=centre,
    )
    assert bound.is_valid(), bound.errors
    assert bound.save().amenities == ["Power backup", "Rooftop garden", "Parking"]


def test_the_company_reservation_form_ticks_weekdays():
    html = str(ReservationSearchForm(max_days=MAX_RESERVATION_DAYS)["weekdays"])

    assert html.count('type="checkbox"') == 7
    assert html.count("checked") == 5  # Monday to Friday


def _centre_data(centre) -> dict:
    return {
        "name": centre.name,
        "slug": centre.slug,
        "status": centre.status,
        "host_kind": centre.host_kind,
        "district": centre.district,
        "local_body": centre.local_body,
        "address": centre.address,
        "pin_code": centre.pin_code,
        "latitude": centre.latitude,
        "longitude": centre.longitude,
        "opens_at": "08:00",
        "closes_at": "20:00",
        "booking_horizon_days": 30,
        "cancellation_cutoff_hours": 2,
        "check_in_deadline": "11:00",
        "seat_day_rate": "150.00",
    }
