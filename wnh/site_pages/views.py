"""About, terms, accessibility and contact: public, in the visitor's language."""

import logging
import smtplib

from django.conf import settings
from django.shortcuts import redirect, render
from django.utils.translation import get_language
from django.views.decorators.http import require_GET, require_http_methods

from wnh.site_pages import feedback
from wnh.site_pages.forms import FeedbackForm
from wnh.site_pages.updated import LAST_UPDATED

logger = logging.getLogger(__name__)


def _content_page(request, page: str):
    return render(
        request,
        f"site_pages/{page}.html",
        {"last_updated": LAST_UPDATED[page], "feedback_email": settings.FEEDBACK_EMAIL},
    )


@require_GET
def about(request):
    return _content_page(request, "about")


@require_GET
def terms(request):
    return _content_page(request, "terms")


@require_GET
def accessibility(request):
    return _content_page(request, "accessibility")


def _contact_page(request, form: FeedbackForm, *, status: int = 200, refusal: str = ""):
    context = {
        "form": form,
        "refusal": refusal,
        "feedback_email": settings.FEEDBACK_EMAIL,
    }
    return render(request, "site_pages/contact.html", context, status=status)


@require_http_methods(["GET", "POST"])
def contact(request):
    if request.method == "GET":
        initial = {"email": request.user.email} if request.user.is_authenticated else {}
        return _contact_page(request, FeedbackForm(initial=initial))
    form = FeedbackForm(request.POST)
    if not feedback.may_post(request):
        return _contact_page(request, form, status=429, refusal="flood")
    if not form.is_valid():
        return _contact_page(request, form, status=400)
    data = form.cleaned_data
    if not feedback.may_send(request, email=data["email"]):
        return _contact_page(request, form, status=429, refusal="flood")
    try:
        feedback.send_feedback(
            name=data["name"],
            email=data["email"],
            topic=form.topic_label(),
            message=data["message"],
            language=get_language(),
            account=request.user.contact if request.user.is_authenticated else None,
        )
    except (smtplib.SMTPException, OSError):
        logger.exception("The feedback mail could not be sent")
        return _contact_page(request, form, status=503, refusal="mail")
    return redirect("contact_thanks")


@require_GET
def contact_thanks(request):
    return render(request, "site_pages/thanks.html")
