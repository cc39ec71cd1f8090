"""Send the confirmation email again: the "Check your email" page (after signing up, or
after logging in before confirming) offers it, for the mail that never came.

allauth resends by itself only for code-based verification; the portal verifies by link,
so this asks for the address and hands it to allauth's own sender, with allauth's own rate
limit (one mail per address every few minutes). The answer is the same whether or not the
address has an account: nobody learns who is signed up (ACCOUNT_PREVENT_ENUMERATION).
"""

from allauth.account.internal.flows.email_verification import (
    send_verification_email_to_address,
)
from allauth.account.models import EmailAddress
from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy
from django.views.decorators.http import require_http_methods


class ResendForm(forms.Form):
    email = forms.EmailField(label=_lazy("Email"))


@require_http_methods(["GET", "POST"])
def resend_verification(request):
    form = ResendForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        email = form.cleaned_data["email"]
        address = EmailAddress.objects.filter(email__iexact=email, verified=False).first()
        if address is not None:
            send_verification_email_to_address(request, address)
        messages.info(
            request,
            _(
                "If %(email)s is waiting to be confirmed, a new email with the link is on its"
                " way. It can take a few minutes; only one is sent every few minutes."
            )
            % {"email": email},
        )
        return redirect("account_email_verification_sent")
    return render(request, "account/resend_verification.html", {"form": form})
