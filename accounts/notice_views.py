"""The privacy notice, public: read before signing up, and any time after."""

from django.shortcuts import render

from .notice import notice_context


def notice(request):
    return render(request, "accounts/privacy_notice.html", notice_context())
