"""The periodic tasks' schedules: staff change when a task runs and whether; what it runs is
code's business (setup_schedules writes it) and only superusers change it."""

from django import forms
from django.contrib import admin
from django_celery_beat.admin import PeriodicTaskAdmin as BeatPeriodicTaskAdmin
from django_celery_beat.models import PeriodicTask

from wnh.admin import (
    name_inputs,
)

# django-celery-beat's periodic task form has one inline script; under the strict CSP it
# runs only with the request's nonce, which this template adds.
admin.site.unregister(PeriodicTask)


# Staff pause a schedule or change when it runs; what it runs (its name, task, arguments and
# routing) is code's business: setup_schedules writes it, and only superusers change it.
STAFF_MAY_CHANGE = [
    "enabled",
    "interval",
    "crontab",
    "solar",
    "clocked",
    "start_time",
    "one_off",
    "expires",
    "expire_seconds",
]


class ScheduleTimingForm(forms.ModelForm):
    """When a task runs, and whether: all a non-superuser's form holds."""

    class Meta:
        model = PeriodicTask
        fields = STAFF_MAY_CHANGE

    def clean(self):
        data = super().clean()
        if data.get("expire_seconds") is not None and data.get("expires"):
            raise forms.ValidationError("Set either expires or expire seconds, not both.")
        return data


@admin.register(PeriodicTask)
class PeriodicTaskAdmin(BeatPeriodicTaskAdmin):
    change_form_template = "admin/django_celery_beat/periodictask/change_form.html"

    def get_fieldsets(self, request, obj=None):
        fieldsets = super().get_fieldsets(request, obj)
        if request.user.is_superuser:
            return fieldsets
        # The registered-task picker is a form field, not a column: it cannot be shown read-only.
        return [
            (name, {**options, "fields": [f for f in options["fields"] if f != "regtask"]})
            for name, options in fieldsets
        ]

    def get_readonly_fields(self, request, obj=None):
        readonly = list(super().get_readonly_fields(request, obj))
        if request.user.is_superuser:
            return readonly
        shown = [f for _, options in self.get_fieldsets(request, obj) for f in options["fields"]]
        return readonly + [f for f in shown if f not in STAFF_MAY_CHANGE and f not in readonly]

    def get_form(self, request, obj=None, **kwargs):
        if not request.user.is_superuser:
            kwargs["form"] = ScheduleTimingForm
        form = super().get_form(request, obj, **kwargs)
        name_inputs(form.base_fields, by_label=False)
        return form
