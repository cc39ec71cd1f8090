"""K-DISC's planning view (bookings.operations.planning) on the admin's "searches" page: demand
and unmet demand by PIN area or local body against the seats near, ranked, with the candidate
hosts, a CSV of the same table, and the change near each centre that opened recently.

The network's demand is K-DISC's to plan with: the page needs the permission to view the
searches and staff who see every centre (accounts/scopes.py); a centre manager or district
coordinator given the permission by mistake still finds nothing.
"""

from datetime import timedelta

from django import forms
from django.contrib import admin
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.template.response import TemplateResponse
from django.urls import path
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _

from accounts.scopes import sees_every_centre
from bookings.models import SearchDaily, TurnedAwayDaily
from bookings.operations import planning
from centres.models import District
from wnh.admin import ReadOnlyAdmin
from wnh.errors import InvalidInput
from wnh.params import DateRangeForm, parse_query

PLANNING_MAX_DAYS = 366


class PlanningForm(DateRangeForm):
    by = forms.ChoiceField(
        choices=[(planning.BY_PIN, planning.BY_PIN), (planning.BY_LOCAL_BODY, "local_body")],
        required=False,
    )
    district = forms.ChoiceField(choices=[("", "")] + District.choices, required=False)
    weeks = forms.IntegerField(min_value=1, max_value=26, required=False)
    format = forms.ChoiceField(choices=[("", ""), ("csv", "csv")], required=False)


class NetworkDemandAdmin(ReadOnlyAdmin):
    """Network-wide figures: K-DISC staff (and superusers) with the model's view permission."""

    def has_view_permission(self, request, obj=None) -> bool:
        return super().has_view_permission(request, obj) and sees_every_centre(request.user)

    def has_module_permission(self, request) -> bool:
        return super().has_module_permission(request) and sees_every_centre(request.user)

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(TurnedAwayDaily)
class TurnedAwayDailyAdmin(NetworkDemandAdmin):
    list_display = ["day", "kind", "centre", "district", "local_body", "pin_code", "people"]
    list_filter = ["kind", "district"]
    list_select_related = ["centre"]
    date_hierarchy = "day"


@admin.register(SearchDaily)
class SearchDailyAdmin(NetworkDemandAdmin):
    list_display = ["day", "kind", "district", "pin_code", "searches"]
    list_filter = ["kind", "district"]
    search_fields = ["pin_code"]
    date_hierarchy = "day"
    change_list_template = "admin/bookings/searchdaily/change_list.html"

    def get_urls(self):
        view = self.admin_site.admin_view
        return [
            path("planning/", view(self.planning_view), name="bookings_planning"),
            *super().get_urls(),
        ]

    def planning_view(self, request):
        """Where the next centres should go: the ranked table (or its CSV) and the openings."""
        if not self.has_view_permission(request):
            raise PermissionDenied
        params = parse_query(PlanningForm, request.GET, max_days=PLANNING_MAX_DAYS)
        last = params["to"] or timezone.localdate() - timedelta(days=1)
        first = params["from"] or last - timedelta(days=27)
        if first > last or (last - first).days >= PLANNING_MAX_DAYS:
            raise InvalidInput(_("Pick at most %(n)d days at once.") % {"n": PLANNING_MAX_DAYS})
        by = params["by"] or planning.BY_PIN
        district = params["district"]
        weeks = params["weeks"] or 4
        rows = planning.table(by=by, first=first, last=last)
        if district:
            rows = [row for row in rows if row.district == district]
        query = {"by": by, "from": first, "to": last, "district": district, "weeks": weeks}
        if params["format"] == "csv":
            response = HttpResponse(content_type="text/csv; charset=utf-8")
            name = f"planning-{by}-{district or 'kerala'}-{first}-{last}.csv"
            response["Content-Disposition"] = f'attachment; filename="{name}"'
            planning.write_csv(rows, by, response)
            return response
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Planning: where the next centres should go"),
            "rows": rows,
            "by": by,
            "by_pin": by == planning.BY_PIN,
            "first": first,
            "last": last,
            "district": district,
            "districts": District.choices,
            "weeks": weeks,
            "near_km": planning.NEAR_KM,
            "openings": planning.openings(weeks=weeks),
            "csv_query": urlencode({**query, "format": "csv"}),
        }
        return TemplateResponse(request, "admin/bookings/searchdaily/planning.html", context)
