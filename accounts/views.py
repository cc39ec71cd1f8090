"""The professional's own pages: profile, home location, language; and the admin's door."""

from allauth.mfa.adapter import get_adapter as get_mfa_adapter
from allauth.mfa.models import Authenticator
from allauth.mfa.webauthn import views as webauthn_views
from django.contrib import messages
from django.contrib.auth import REDIRECT_FIELD_NAME
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from django.utils.translation import gettext as _

from .forms import HomeForm
from .middleware import remember_profile_language
from .selectors import sms_number


@login_required
def profile(request):
    form = HomeForm(request.POST if request.method == "POST" else None, instance=request.user)
    if request.method == "POST" and form.is_valid():
        user = form.save()
        remember_profile_language(request, user.language)
        place = user.local_home_place
        messages.success(request, _("Saved. Your home is %(place)s.") % {"place": place})
        return redirect("centres:list")
    # The list of about 1,500 towns weighs 80 KB: sent only to someone who asks for it, or
    # whose PIN code did not do.
    show_towns = "towns" in request.GET or (form.is_bound and bool(form.errors))
    return render(
        request,
        "accounts/profile.html",
        {
            "form": form,
            "welcome": "welcome" in request.GET and not request.user.has_home,
            "show_towns": show_towns,
            "sms_number": sms_number(request.user),
        },
    )


def admin_login(request):
    """The Django admin's login, replaced by the portal's own: one login page, so allauth's
    rate limits and the second factor (accounts/second_factor.py) guard the admin too."""
    next_url = request.GET.get(REDIRECT_FIELD_NAME, "")
    if not url_has_allowed_host_and_scheme(
        next_url, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        next_url = reverse("admin:index")
    if request.user.is_authenticated:
        if not request.user.is_staff:
            raise PermissionDenied(_("This account is not K-DISC staff."))
        # Not redirect(): it would take a `next` that is no URL for a view name (a 500).
        return HttpResponseRedirect(next_url)
    return redirect(f"{reverse('account_login')}?{urlencode({REDIRECT_FIELD_NAME: next_url})}")


@login_required
def remove_security_key(request, pk: int):
    """allauth's page to remove a security key, which (unlike its TOTP page) does not ask the
    MFA adapter: staff keep their keys as they keep their app (accounts.adapters.MFAAdapter),
    and a superuser deletes a lost one in the admin."""
    key = Authenticator.objects.filter(
        pk=pk, user=request.user, type=Authenticator.Type.WEBAUTHN
    ).first()
    if key is not None and not get_mfa_adapter().can_delete_authenticator(key):
        raise PermissionDenied(_("Staff accounts keep their security keys."))
    return webauthn_views.remove_webauthn(request, pk=pk)
