"""/open-data/ and its files: for anyone, no login, figures from the nightly rollups."""

import re
from datetime import date

from django.http import HttpResponse, HttpResponseBadRequest, JsonResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_safe

from bookings.open_data import files
from bookings.open_data.selectors import (
    BAND,
    LICENCE,
    LICENCE_URL,
    Periods,
    centre_figures,
    homes_without_centre,
    network_by_district,
)
from centres.models import District

MONTH = re.compile(r"^(\d{4})-(\d{2})$")


@require_safe
def page(request):
    district = request.GET.get("district", "")
    if district and district not in District.values:
        return render(
            request,
            "open_data/page.html",
            {"refusal": _("There is no such district."), **_context(None)},
            status=400,
        )
    return render(request, "open_data/page.html", _context(district or None))


def _context(district: str | None) -> dict:
    periods = Periods.ending()
    context = {
        "periods": periods,
        "districts": network_by_district(periods),
        "district": district,
        "band": BAND,
        "licence": LICENCE,
        "licence_url": LICENCE_URL,
        "first_month": files.FIRST_MONTH,
        "this_month": periods.today.replace(day=1),
    }
    if district:
        context["district_name"] = District(district).label
        context["centres"] = centre_figures(periods=periods, district=district)
        context["homes"] = homes_without_centre(periods=periods, district=district)
    return context


def _download(body: str, filename: str, content_type: str) -> HttpResponse:
    response = HttpResponse(body, content_type=content_type)
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response


@require_safe
def centres_csv(request):
    return _download(files.centres_csv(Periods.ending()), "centres.csv", "text/csv; charset=utf-8")


@require_safe
def centres_json(request):
    response = JsonResponse(files.centres_json(Periods.ending()), json_dumps_params={"indent": 1})
    response["Content-Disposition"] = 'inline; filename="centres.json"'
    return response


@require_safe
def occupancy_csv(request, month: str):
    periods = Periods.ending()
    found = MONTH.match(month)
    days = None
    if found and 1 <= int(found[2]) <= 12:
        days = files.month_days(date(int(found[1]), int(found[2]), 1), periods.today)
    if days is None:
        message = _(
            "Give a month from %(first)s to %(last)s as YYYY-MM, for example "
            "occupancy-%(last)s.csv."
        ) % {
            "first": files.FIRST_MONTH.strftime("%Y-%m"),
            "last": periods.today.strftime("%Y-%m"),
        }
        return HttpResponseBadRequest(message, content_type="text/plain; charset=utf-8")
    return _download(
        files.occupancy_csv(first=days[0], last=days[1]),
        f"occupancy-{month}.csv",
        "text/csv; charset=utf-8",
    )
