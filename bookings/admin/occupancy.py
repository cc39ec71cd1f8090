"""The occupancy report (day-by-day figures, a CSV and a chart) and the no-show list, on the
admin's occupancy page, scoped to the centres each staff member runs."""

from datetime import timedelta

from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode

from accounts.scopes import centres_in_scope, sees_every_centre
from bookings.admin.scoped import CentreScopedAdmin, ScopedCentreFilter
from bookings.core import noshows as noshow
from bookings.models import (
    OccupancyDaily,
)
from bookings.operations import occupancy
from centres.models import Centre, District
from wnh.admin import (
    ReadOnlyAdmin,
)
from wnh.errors import InvalidInput
from wnh.ids import is_id
from wnh.params import DateRangeForm, parse_query

# The longest range one report (or one "compute the figures" request) covers.
REPORT_MAX_DAYS = 366


@admin.register(OccupancyDaily)
class OccupancyDailyAdmin(CentreScopedAdmin, ReadOnlyAdmin):
    list_display = [
        "day",
        "centre",
        "seats",
        "booked",
        "checked_in",
        "no_shows",
        "cancelled",
        "pod_days_reserved",
    ]
    list_filter = ["centre__district", ("centre", ScopedCentreFilter)]
    list_select_related = ["centre"]
    date_hierarchy = "day"
    change_list_template = "admin/bookings/occupancydaily/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("report/", view(self.report_view), name="bookings_occupancy_report"),
            path("no-shows/", view(self.no_shows_view), name="bookings_no_shows"),
            *super().get_urls(),
        ]

    def report_view(self, request):
        """Occupancy over time for one centre or one district: an SVG chart, a table, CSV.

        Only the centres in the user's scope. When figures are missing, a button asks a
        worker to compute them (POST), and the page says when they are ready."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = request.POST if request.method == "POST" else request.GET
        dates = parse_query(DateRangeForm, params, max_days=REPORT_MAX_DAYS)
        last = dates["to"] or timezone.localdate() - timedelta(days=1)
        first = dates["from"] or last - timedelta(days=29)
        if first > last:
            first, last = last, first
        if (last - first).days >= REPORT_MAX_DAYS:  # one day given, far from the default
            raise InvalidInput(f"Pick at most {REPORT_MAX_DAYS} days at once.")
        scope = centres_in_scope(request.user)
        scope_districts = set(scope.values_list("district", flat=True).distinct())
        centre = district = centres = None
        centre_id = params.get("centre", "")
        if centre_id:
            if not is_id(centre_id) or not Centre.objects.filter(pk=int(centre_id)).exists():
                raise InvalidInput("centre: No such centre.")
            # A centre outside the officer's scope shows as none chosen: nothing of it.
            centre = scope.filter(pk=int(centre_id)).first()
        elif params.get("district") in scope_districts:
            district = params["district"]
        if centre is not None:
            centres = scope.filter(pk=centre.pk)
            title, slug = f"Occupancy: {centre.name}", centre.slug
        elif district is not None:
            centres = scope.filter(district=district)
            title = f"Occupancy: {District(district).label} district"
            slug = f"district-{district}"
        else:
            title, slug = "Occupancy", ""
        query = {"from": first.isoformat(), "to": last.isoformat()}
        query.update({"centre": centre.pk} if centre else {"district": district or ""})
        if request.method == "POST":
            if centres is None:
                raise PermissionDenied
            occupancy.request_rollup(first=first, last=last)
            self.message_user(
                request,
                f"The figures for {first:%d %b %Y} to {last:%d %b %Y} are being computed. "
                "The report shows them as soon as they are ready, usually within a minute.",
            )
            return redirect(f"{request.path}?{urlencode({**query, 'requested': 1})}")
        result = None
        if centres is not None:
            result = occupancy.report(centres=centres, first=first, last=last)
        series = result.series if result else []
        if series and params.get("format") == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            response["Content-Disposition"] = (
                f'attachment; filename="occupancy-{slug}-{first}-{last}.csv"'
            )
            occupancy.write_csv(series, response)
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": title,
            "report": result,
            "series": series,
            "chart": occupancy.chart_points(series),
            "centres": scope.order_by("name").only("pk", "name"),
            "districts": [
                (code, name) for code, name in District.choices if code in scope_districts
            ],
            "centre": centre,
            "district": district,
            "first": first,
            "last": last,
            "requested": bool(params.get("requested")),
            "query": urlencode(query),
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/report.html", context)

    def no_shows_view(self, request):
        """People who did not turn up, in the no-show rule's window."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        from django.conf import settings

        scope = None if sees_every_centre(request.user) else centres_in_scope(request.user)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": f"No-shows in the last {settings.WNH_NO_SHOW_WINDOW_DAYS} days",
            "people": noshow.people_with_no_shows(centres=scope)[:200],
            "limit": settings.WNH_NO_SHOW_LIMIT,
        }
        return TemplateResponse(request, "admin/bookings/occupancydaily/no_shows.html", context)
