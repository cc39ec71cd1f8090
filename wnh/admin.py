"""What the admin's actions share: run a service per selected row, report each outcome; and
decisions taken on one object's page, confirmed first, through the same services."""

from collections.abc import Callable
from dataclasses import dataclass

from django import forms
from django.contrib import admin, messages
from django.contrib.admin.options import IncorrectLookupParameters
from django.contrib.admin.utils import unquote
from django.contrib.admin.views.main import ChangeList
from django.contrib.admin.widgets import AutocompleteSelect
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from wnh.errors import DomainError


def run_service_for_each(
    modeladmin: admin.ModelAdmin, request, queryset, service: Callable, done: str
) -> None:
    """Call `service(obj)` for each selected row; a refused row is reported, not fatal."""
    succeeded = 0
    for obj in queryset:
        try:
            service(obj)
            succeeded += 1
        except DomainError as error:  # Busy is not one: the page answers 503, try again
            modeladmin.message_user(request, f"{obj}: {error.message}", messages.ERROR)
    if succeeded:
        modeladmin.message_user(request, f"{done}: {succeeded}.", messages.SUCCESS)


class IdCheckingAutocompleteSelect(AutocompleteSelect):
    """Django's autocomplete widget looks the submitted value up to show it again: a value
    that is not an id at all ("2026-13-01") raised ValueError there, a 500 on a form that
    should only say "select a valid choice"."""

    def optgroups(self, name, value, attr=None):
        remote = self.field.remote_field
        to_field = remote.model._meta.get_field(remote.field_name)
        return super().optgroups(name, [v for v in value if _is_value_of(to_field, v)], attr)


def _is_value_of(field, value) -> bool:
    try:
        field.to_python(value)
    except ValidationError:
        return False
    return True


class CheckedAutocompleteAdmin(admin.ModelAdmin):
    """A ModelAdmin whose autocomplete_fields take a garbage value as an invalid choice."""

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        if db_field.name in self.get_autocomplete_fields(request) and "widget" not in kwargs:
            kwargs["widget"] = IdCheckingAutocompleteSelect(
                db_field, self.admin_site, using=kwargs.get("using")
            )
        return super().formfield_for_foreignkey(db_field, request, **kwargs)


class ReadOnlyAdmin(admin.ModelAdmin):
    """Rows that only services write: staff look, filter and act, but never edit by hand."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_readonly_fields(self, request, obj=None):
        return [field.name for field in self.model._meta.fields]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        # Nothing on the page can be edited: no Save buttons that would save nothing.
        extra_context = {**(extra_context or {}), "show_save": False}
        extra_context["show_save_and_continue"] = False
        return super().change_view(request, object_id, form_url, extra_context)


@dataclass(frozen=True)
class Decision:
    """A decision staff take on one object's page: a button, a confirm page, a service call."""

    name: str  # in the URL: .../<pk>/decide/<name>/
    label: str  # the button: "Approve"
    question: str  # the confirm page asks it, with {obj}: "Approve {obj}?"
    done: str  # the message afterwards, with {obj}: "{obj} is approved."
    applies: Callable[[object], bool]  # offered only when it can apply
    service: Callable[[object, object], object]  # (obj, request.user), the list action's service
    explanation: str = ""


class DecisionsAdmin(admin.ModelAdmin):
    """A ModelAdmin whose change page offers `decisions` as buttons, each confirmed."""

    decisions: list[Decision] = []
    change_form_template = "admin/wnh/change_form_with_decisions.html"

    def get_urls(self):
        opts = self.model._meta
        return [
            path(
                "<path:object_id>/decide/<slug:name>/",
                self.admin_site.admin_view(self.decision_view),
                name=f"{opts.app_label}_{opts.model_name}_decide",
            ),
            *super().get_urls(),
        ]

    def decisions_for(self, request, obj) -> list[tuple[Decision, str]]:
        if obj is None or not self.has_change_permission(request, obj):
            return []
        opts = self.model._meta
        return [
            (d, reverse(f"admin:{opts.app_label}_{opts.model_name}_decide", args=[obj.pk, d.name]))
            for d in self.decisions
            if d.applies(obj)
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        extra_context = {**(extra_context or {}), "decisions": self.decisions_for(request, obj)}
        return super().change_view(request, object_id, form_url, extra_context)

    def decision_view(self, request, object_id, name):
        obj = self.get_object(request, unquote(object_id))
        decision = next((d for d in self.decisions if d.name == name), None)
        if obj is None or decision is None:
            raise Http404
        if not self.has_change_permission(request, obj):
            raise PermissionDenied
        opts = self.model._meta
        back = reverse(f"admin:{opts.app_label}_{opts.model_name}_change", args=[obj.pk])
        if not decision.applies(obj):
            self.message_user(request, f"{obj}: no longer possible.", messages.WARNING)
            return redirect(back)
        if request.method == "POST":
            try:
                decision.service(obj, request.user)
            except DomainError as error:
                self.message_user(request, f"{obj}: {error.message}", messages.ERROR)
            else:
                self.message_user(request, decision.done.format(obj=obj), messages.SUCCESS)
            return redirect(back)
        context = {
            **self.admin_site.each_context(request),
            "opts": opts,
            "original": obj,
            "decision": decision,
            "title": decision.question.format(obj=obj),
            "back": back,
        }
        return TemplateResponse(request, "admin/wnh/confirm_decision.html", context)


def name_inputs(fields: dict, *, by_label: bool) -> None:
    """Give inputs that have no <label> of their own an accessible name (axe-core's "label"
    rule): the cells of a tabular inline row (`by_label`: only a column header names them)
    and the date and time parts of a split date-time, which a <legend> does not name."""
    for name, field in fields.items():
        label = str(field.label or name.replace("_", " ")).capitalize()
        parts = getattr(field.widget, "widgets", None)
        if parts:
            for part in parts:
                kind = "date" if isinstance(part, forms.DateInput) else "time"
                if isinstance(part, forms.DateInput | forms.TimeInput):
                    part.attrs.setdefault("aria-label", f"{label}: {kind}")
        elif by_label and not field.widget.is_hidden:
            field.widget.attrs.setdefault("aria-label", label)


class LabelledInlineFormSet(forms.BaseInlineFormSet):
    def add_fields(self, form, index) -> None:
        super().add_fields(form, index)
        name_inputs(form.fields, by_label=True)


class TabularInline(admin.TabularInline):
    """A tabular inline whose cells a screen reader can name."""

    formset = LabelledInlineFormSet


class CheckedChangeList(ChangeList):
    """Django's date hierarchy reads ?day__year=&day__month=&day__day= into dates and catches
    only some of what cannot be one: a year too big for a C long (OverflowError), the year
    after 9999 or a month past December 9999 were a 500. Here they are wrong lookup
    parameters, as Django's other checks make bad values: the list answers ?e=1."""

    def get_filters(self, request):
        try:
            return super().get_filters(request)
        except (ValueError, OverflowError) as error:
            raise IncorrectLookupParameters(error) from error


class CheckedChangeListAdmin(admin.ModelAdmin):
    def get_changelist(self, request, **kwargs):
        return CheckedChangeList


class AuditHistoryAdmin(CheckedChangeListAdmin):
    """The object's "History" page shows its audit history (wnh/audit.py) above the admin's
    own log: every change, by whom, through which path and request, old and new values.

    The audit history is the one that is complete: it records the services' bulk updates
    and the background tasks, which the admin's log never sees. PostgreSQL only."""

    object_history_template = "admin/audit_history.html"
    AUDIT_ROWS = 200
    # Also the events of rows that point at this one (a company's memberships and invitations).
    audit_references = False

    def history_view(self, request, object_id, extra_context=None):
        from django.db import connection

        obj = self.get_object(request, unquote(object_id))
        rows = []
        if obj is not None and connection.vendor == "postgresql":
            rows = audit_rows(obj, limit=self.AUDIT_ROWS, references=self.audit_references)
        extra_context = {**(extra_context or {}), "audit_rows": rows}
        return super().history_view(request, object_id, extra_context)


def audit_rows(obj, *, limit: int, references: bool = False) -> list[dict]:
    """The newest `limit` events of `obj`, each with what changed since the one before."""
    from django.contrib.auth import get_user_model
    from pghistory.models import Events

    found = Events.objects.references(obj) if references else Events.objects.tracks(obj)
    since = _time_of_the_newest_events(obj, count=limit + 1, references=references)
    if since is None:
        return []
    # pghistory's query works out every event's data and diff (JSON and a subquery a row)
    # before it sorts and cuts: for a company, every event of its bookings, minutes at state
    # size. PostgreSQL pushes this window into each event table's scan, so only the newest
    # events are worked out.
    found = found.filter(pgh_created_at__gte=since)
    events = list(found.order_by("-pgh_created_at", "-pgh_id")[: limit + 1])
    events.reverse()
    user_ids = {(e.pgh_context or {}).get("user") for e in events} - {None}
    emails = dict(get_user_model().objects.filter(pk__in=user_ids).values_list("pk", "email"))
    rows = []
    last_seen: dict[tuple, dict] = {}
    for event in events:
        context = event.pgh_context or {}
        key = (event.pgh_obj_model, event.pgh_obj_id)
        old = last_seen.get(key, {})
        last_seen[key] = event.pgh_data
        changes = [
            (field, old.get(field), value)
            for field, value in event.pgh_data.items()
            if event.pgh_label == "insert" or old.get(field) != value
        ]
        user = context.get("user")
        rows.append(
            {
                "at": event.pgh_created_at,
                "label": f"{event.pgh_obj_model.split('.')[-1]} {event.pgh_label}",
                "who": emails.get(user, f"person #{user}") if user else "the portal",
                "path": context.get("path", ""),
                "via": context.get("view") or context.get("task") or context.get("command", ""),
                "request_id": context.get("request_id", ""),
                "changes": changes,
            }
        )
    if len(events) > limit:
        rows = rows[1:]  # the oldest was fetched only to show what the next one changed
    return list(reversed(rows))


def _time_of_the_newest_events(obj, *, count: int, references: bool):
    """When the oldest of `obj`'s newest `count` events happened (None: it has none), from the
    event tables' own indexed columns: a top-N of plain rows per table."""
    from django.db.models import Q
    from pghistory.core import event_models
    from pghistory.utils import related_model

    model = type(obj)._meta.concrete_model
    times = []
    for event_model in event_models(
        references_model=model if references else None, tracks_model=None if references else model
    ):
        columns = (
            [f.attname for f in event_model._meta.fields if related_model(f) == model]
            if references
            else ["pgh_obj_id"]
        )
        match = Q()
        for column in columns:
            match |= Q(**{column: obj.pk})
        newest = event_model.objects.filter(match).order_by("-pgh_created_at")
        times += newest.values_list("pgh_created_at", flat=True)[:count]
    times.sort(reverse=True)
    return times[:count][-1] if times else None
