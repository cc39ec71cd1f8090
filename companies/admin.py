from django.contrib import admin
from django.db import models

from wnh.admin import (
    AuditHistoryAdmin,
    Decision,
    DecisionsAdmin,
    TabularInline,
    run_service_for_each,
)

from .models import Company, Invitation, Membership, WebhookDelivery, WebhookEndpoint
from .services import approve_company, suspend_company


class MembershipInline(TabularInline):
    """Who is in the company, to look at. Members change through the company's own admins
    (bookings.core.services.remove_member cancels their bookings in company pods; the last admin
    stays)."""

    model = Membership
    extra = 0
    fields = ["user", "role", "created_at"]
    readonly_fields = fields
    can_delete = False

    def get_queryset(self, request):
        # Each row shows the membership's name, which names its user and company.
        return super().get_queryset(request).select_related("user", "company")

    def has_add_permission(self, request, obj=None) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Company)
class CompanyAdmin(AuditHistoryAdmin, DecisionsAdmin):
    audit_references = True  # its memberships, invitations, reservations and bookings too
    list_display = ["name", "status", "contact_email", "gstin", "created_at", "approved_at"]
    list_filter = ["status"]
    search_fields = ["name", "contact_email", "gstin"]
    readonly_fields = ["status", "created_by", "created_at", "approved_at", "suspended_at"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [MembershipInline]
    # Django 6 makes https the default scheme; say so now (and silence the warning).
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}
    actions = ["approve", "suspend"]
    decisions = [
        Decision(
            name="approve",
            label="Approve",
            question="Approve {obj}?",
            explanation="Its admins are told by email, and it may then reserve pods.",
            done="{obj} is approved; its admins are told by email.",
            applies=lambda c: c.status != Company.Status.APPROVED,
            service=lambda c, user: approve_company(company=c, by=user),
        ),
        Decision(
            name="suspend",
            label="Suspend",
            question="Suspend {obj}?",
            explanation="It keeps its history but can no longer reserve pods or book in them. "
            "Its admins are told by email.",
            done="{obj} is suspended; its admins are told by email.",
            applies=lambda c: c.status == Company.Status.APPROVED,
            service=lambda c, user: suspend_company(company=c, by=user),
        ),
    ]

    @admin.action(description="Approve selected companies", permissions=["change"])
    def approve(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda c: approve_company(company=c, by=request.user),
            "Approved",
        )

    @admin.action(description="Suspend selected companies", permissions=["change"])
    def suspend(self, request, queryset):
        run_service_for_each(
            self,
            request,
            queryset,
            lambda c: suspend_company(company=c, by=request.user),
            "Suspended",
        )

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(Invitation)
class InvitationAdmin(AuditHistoryAdmin):
    list_display = ["email", "company", "role", "created_at", "accepted_at", "revoked_at"]
    list_filter = ["role"]
    search_fields = ["email", "company__name"]
    list_select_related = ["company"]

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False


class ReadOnlyAdmin(admin.ModelAdmin):
    """K-DISC looks; the company's admins change their webhooks on the company's pages."""

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(WebhookEndpoint)
class WebhookEndpointAdmin(ReadOnlyAdmin):
    list_display = ["url", "company", "is_active", "consecutive_failures", "created_at"]
    list_filter = ["is_active"]
    search_fields = ["url", "company__name"]
    list_select_related = ["company"]
    # Never the secret: it signs the company's deliveries.
    fields = [
        "company",
        "url",
        "event_types",
        "is_active",
        "consecutive_failures",
        "disabled_at",
        "created_by",
        "created_at",
    ]
    readonly_fields = fields


@admin.register(WebhookDelivery)
class WebhookDeliveryAdmin(ReadOnlyAdmin):
    list_display = [
        "event_type",
        "endpoint",
        "status",
        "response_code",
        "attempts",
        "created_at",
        "delivered_at",
    ]
    list_filter = ["status", "event_type"]
    search_fields = ["event_id", "endpoint__url", "endpoint__company__name"]
    list_select_related = ["endpoint__company"]
    fields = [
        "endpoint",
        "event_id",
        "event_type",
        "status",
        "attempts",
        "response_code",
        "last_error",
        "next_attempt_at",
        "delivered_at",
        "created_at",
        "payload",
    ]
    readonly_fields = fields
