"""Centre pages: thin views over centres/selectors.py and the booking services."""

from django.shortcuts import render


def centre_list(request):
    return render(request, "centres/list.html", {})
