"""The professional's own pages: profile, home location, language."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from .forms import HomeForm
from .middleware import remember_profile_language


@login_required
def profile(request):
    form = HomeForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        remember_profile_language(request, user.language)
        messages.success(request, _("Saved. Your home is %(place)s.") % {"place": user.home_place})
        return redirect("centres:list")
    return render(
        request,
        "accounts/profile.html",
        {"form": form, "welcome": "welcome" in request.GET and not request.user.has_home},
    )
