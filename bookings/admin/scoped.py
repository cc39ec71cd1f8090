"""The admin seen through a staff member's scope (accounts/scopes.py): a centre manager or a
district coordinator finds only their centres' rows, in lists, on change pages typed by hand
(404), in actions and in the choices of a form's centre or pod. K-DISC staff see everything.
"""

from django.contrib import admin
from django.http import Http404

from accounts.scopes import centres_in_scope, sees_every_centre
from centres.models import Centre, Pod
from wnh.admin import AuditHistoryAdmin


class ScopedCentreFilter(admin.RelatedFieldListFilter):
    """The centre filter lists only the centres the user runs."""

    def field_choices(self, field, request, model_admin):
        return [(c.pk, str(c)) for c in centres_in_scope(request.user).order_by("name")]


class CentreScopedAdmin(AuditHistoryAdmin):
    """A ModelAdmin whose rows belong to a centre, reached through `centre_path`."""

    centre_path = "centre"

    def get_queryset(self, request):
        queryset = super().get_queryset(request)
        if sees_every_centre(request.user):
            return queryset
        return queryset.filter(**{f"{self.centre_path}__in": centres_in_scope(request.user)})

    def get_object(self, request, object_id, from_field=None):
        # Outside the scope is "not found", not a redirect that hints the row exists.
        obj = super().get_object(request, object_id, from_field)
        if obj is None:
            raise Http404("No such object, or not at a centre you run.")
        return obj

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if not sees_every_centre(request.user):
            if db_field.related_model is Centre:
                kwargs["queryset"] = centres_in_scope(request.user)
            elif db_field.related_model is Pod:
                kwargs["queryset"] = Pod.objects.filter(centre__in=centres_in_scope(request.user))
        return super().formfield_for_foreignkey(db_field, request, **kwargs)
