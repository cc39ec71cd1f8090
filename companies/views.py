"""Company pages in the portal: thin views over companies/selectors.py and the services."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render

from .selectors import membership_for, memberships_of


@login_required
def home(request):
    """The company dashboard for a member, or the way to register one for everyone else."""
    memberships = list(memberships_of(request.user))
    if not memberships:
        return redirect("companies:register")
    if len(memberships) == 1:
        return redirect("companies:dashboard", slug=memberships[0].company.slug)
    return render(request, "companies/home.html", {"memberships": memberships})


@login_required
def register(request):
    return render(request, "companies/register.html", {})


@login_required
def dashboard(request, slug: str):
    membership = membership_for(user=request.user, slug=slug)
    return render(
        request,
        "companies/dashboard.html",
        {"membership": membership, "company": membership.company},
    )
