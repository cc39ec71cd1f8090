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
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.selectors import home_first_url
from wnh.errors import DomainError

from . import selectors, services
from .forms import CompanyRegistrationForm, InviteForm
from .models import Invitation


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
