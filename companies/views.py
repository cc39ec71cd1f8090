"""A company's own pages: registering it, its members and invitations; thin views over
companies/selectors.py and companies/services.py. The pages that show or change its
pod-days and seat-days (dashboard, removing a member, reservations, team week, statement)
join it with bookings and live in bookings/company_pages/views.py; all answer under /companies/
(bookings/company_pages/urls.py).

Every page that names a company looks it up through the user's memberships
(selectors.membership_for): another company's slug, or an id belonging to another company,
is a 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from accounts.selectors import home_first_url
from wnh.errors import DomainError

from . import selectors, services
from . import webhooks as webhook_events
from .forms import CompanyRegistrationForm, InviteForm, WebhookEndpointForm
from .models import Invitation, Membership, WebhookEndpoint


@login_required
def start(request):
    """Where signing in leads when no `next` was given (settings.LOGIN_REDIRECT_URL): K-DISC
    staff to their work queue (the admin's front page, scoped to an officer's centres), a
    company admin to their company, a professional without a home to setting it, anyone
    else to the portal's front page."""
    user = request.user
    if user.is_staff:
        return redirect("admin:index")
    administered = list(selectors.administered_by(user)[:2])
    if len(administered) == 1:
        return redirect("companies:dashboard", slug=administered[0].company.slug)
    if administered:
        return redirect("companies:home")
    return redirect(home_first_url(user) or "home")


@login_required
def home(request):
    """The company dashboard for a member, or the way to register one for everyone else."""
    memberships = list(selectors.memberships_of(request.user))
    if not memberships:
        return redirect("companies:register")
    if len(memberships) == 1:
        return redirect("companies:dashboard", slug=memberships[0].company.slug)
    return render(request, "companies/home.html", {"memberships": memberships})


@login_required
def register(request):
    form = CompanyRegistrationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            company = services.register_company(created_by=request.user, **form.cleaned_data)
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request,
                _("%(name)s is registered. K-DISC will review it; we will email you.")
                % {"name": company.name},
            )
            return redirect("companies:dashboard", slug=company.slug)
    return render(request, "companies/register.html", {"form": form})


# -- members and invitations ----------------------------------------------------------------


@login_required
def members(request, slug: str):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    company = membership.company
    form = InviteForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.invite_member(
                company=company,
                email=form.cleaned_data["email"],
                role=form.cleaned_data["role"],
                invited_by=request.user,
            )
        except DomainError as error:
            form.add_error(None, error.message)
        else:
            messages.success(
                request, _("Invitation sent to %(email)s.") % {"email": form.cleaned_data["email"]}
            )
            return redirect("companies:members", slug=slug)
    return render(
        request,
        "companies/members.html",
        {
            "company": company,
            "membership": membership,
            "members": company.memberships.select_related("user").order_by("role", "user__email"),
            "invitations": company.invitations.filter(
                accepted_at__isnull=True, revoked_at__isnull=True
            ).select_related("invited_by"),
            "form": form,
        },
    )


@login_required
@require_POST
def revoke_invitation(request, slug: str, invitation_id: int):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    invitation = get_object_or_404(Invitation, pk=invitation_id, company=membership.company)
    try:
        services.revoke_invitation(invitation=invitation, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Invitation withdrawn."))
    return redirect("companies:members", slug=slug)


@login_required
def accept_invitation(request, token: str):
    """The link in the invitation email. Logged out, the login page brings the person back."""
    try:
        invitation = services.open_invitation_for(token=token, user=request.user)
    except DomainError as error:
        # A link that is forged, expired, withdrawn, used or someone else's names neither
        # the company nor the address: whoever holds it learns nothing from it.
        return render(
            request, "companies/invitation.html", {"error": error.message}, status=error.status
        )
    if request.method == "POST":
        try:
            membership = services.accept_invitation(token=token, user=request.user)
        except DomainError as error:
            return render(
                request, "companies/invitation.html", {"error": error.message}, status=error.status
            )
        messages.success(request, _("Welcome to %(name)s.") % {"name": membership.company.name})
        return redirect("companies:dashboard", slug=membership.company.slug)
    return render(request, "companies/invitation.html", {"invitation": invitation})


# -- webhooks -------------------------------------------------------------------------------

DELIVERY_LOG_LENGTH = 50


def _webhook_admin(request, slug: str) -> Membership:
    """Webhooks carry the company's secrets: anyone but its admins gets a 404, its plain
    members too (not the 403 of its other admin pages), so the pages give nothing away."""
    try:
        return selectors.membership_for(user=request.user, slug=slug, admin=True)
    except PermissionDenied as error:
        raise Http404("No such company.") from error


def _endpoint(membership: Membership, endpoint_id: int) -> WebhookEndpoint:
    return get_object_or_404(
        WebhookEndpoint.objects.select_related("company"),
        pk=endpoint_id,
        company=membership.company,
    )


@login_required
@never_cache
def webhooks(request, slug: str):
    """The company's endpoints, and a form to add one; its secret is shown once, here."""
    membership = _webhook_admin(request, slug)
    company = membership.company
    form = WebhookEndpointForm(request.POST or None)
    status, created = 200, None
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                created = services.add_webhook_endpoint(
                    company=company,
                    url=form.cleaned_data["url"],
                    event_types=form.cleaned_data["event_types"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error("url", error.message)
                status = error.status
            else:
                status, form = 201, WebhookEndpointForm()
    return render(
        request,
        "companies/webhooks.html",
        {
            "company": company,
            "membership": membership,
            "endpoints": company.webhook_endpoints.order_by("created_at"),
            "form": form,
            "created": created,
        },
        status=status,
    )


@login_required
def webhook(request, slug: str, endpoint_id: int):
    """One endpoint: its events and its last deliveries."""
    membership = _webhook_admin(request, slug)
    endpoint = _endpoint(membership, endpoint_id)
    return render(
        request,
        "companies/webhook.html",
        {
            "company": membership.company,
            "membership": membership,
            "endpoint": endpoint,
            "event_labels": [
                webhook_events.EVENT_TYPES.get(name, name) for name in endpoint.event_types
            ],
            "deliveries": endpoint.deliveries.order_by("-created_at", "-pk")[:DELIVERY_LOG_LENGTH],
        },
    )


def _act_on_endpoint(request, slug: str, endpoint_id: int, action, done: str):
    membership = _webhook_admin(request, slug)
    endpoint = _endpoint(membership, endpoint_id)
    try:
        action(endpoint)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done)
    return redirect("companies:webhook", slug=slug, endpoint_id=endpoint_id)


@login_required
@require_POST
def test_webhook(request, slug: str, endpoint_id: int):
    return _act_on_endpoint(
        request,
        slug,
        endpoint_id,
        lambda endpoint: services.send_test_webhook(endpoint=endpoint, by=request.user),
        _("A test event is on its way; its delivery is in the log below."),
    )


@login_required
@require_POST
def turn_on_webhook(request, slug: str, endpoint_id: int):
    return _act_on_endpoint(
        request,
        slug,
        endpoint_id,
        lambda endpoint: services.turn_webhook_endpoint_on(endpoint=endpoint, by=request.user),
        _("The endpoint is on again."),
    )


@login_required
@require_POST
def replay_webhook(request, slug: str, endpoint_id: int, delivery_id: int):
    return _act_on_endpoint(
        request,
        slug,
        endpoint_id,
        lambda endpoint: services.replay_webhook(
            delivery=get_object_or_404(endpoint.deliveries, pk=delivery_id), by=request.user
        ),
        _("The event is sent again, with the same Webhook-Id."),
    )


@login_required
@require_POST
def delete_webhook(request, slug: str, endpoint_id: int):
    membership = _webhook_admin(request, slug)
    endpoint = _endpoint(membership, endpoint_id)
    try:
        services.delete_webhook_endpoint(endpoint=endpoint, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
        return redirect("companies:webhook", slug=slug, endpoint_id=endpoint_id)
    messages.success(request, _("The endpoint is deleted."))
    return redirect("companies:webhooks", slug=slug)
