"""A person's own data from their profile: download it all (JSON), or erase the account."""

import json

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from bookings.privacy.services import erase_person, personal_data


@login_required
def download_my_data(request):
    data = personal_data(request.user)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    response["Content-Disposition"] = (
        f'attachment; filename="wnh-my-data-{timezone.localdate():%Y-%m-%d}.json"'
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
def erase_my_account(request):
    """A confirm page; the erasure needs the person's password (or, for an account with
    none, typing ERASE), so a session left open is not enough to erase someone."""
    user = request.user
    error = None
    if request.method == "POST":
        confirmed = (
            user.check_password(request.POST.get("password", ""))
            if user.has_usable_password()
            else request.POST.get("confirm", "").strip() == "ERASE"
        )
        if confirmed:
            erase_person(user=user, by=user)
            logout(request)
            messages.success(
                request,
                _(
                    "Your account is erased. Your past bookings stay only as anonymous "
                    "seat-days. You can sign up again at any time."
                ),
            )
            return redirect("home")
        error = _("That is not your password. Nothing was erased.")
    return render(request, "accounts/erase.html", {"error": error}, status=400 if error else 200)
