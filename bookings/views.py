"""Booking pages: thin views over bookings/selectors.py and bookings/services.py."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def my_bookings(request):
    return render(request, "bookings/mine.html", {})
