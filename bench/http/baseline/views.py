import random
from datetime import date, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.http import JsonResponse
from django.views.decorators.csrf import csrf_exempt

from .models import Booking, Seat

FIRST_DAY = date(2027, 1, 1)


def seat_count() -> int:
    # The driver numbers the seats 1..N (driver.prepare_baseline): a random id needs no query.
    return settings.BASELINE_SEATS


def hello(request):
    return JsonResponse({"hello": "Work Near Home"})


def one(request):
    seat = Seat.objects.get(pk=random.randint(1, seat_count()))
    return JsonResponse({"id": seat.pk, "label": seat.label})


@csrf_exempt
def insert(request):
    seat_id = random.randint(1, seat_count())
    day = FIRST_DAY + timedelta(days=random.randrange(365))
    try:
        with transaction.atomic():
            booking = Booking.objects.create(seat_id=seat_id, day=day)
    except IntegrityError:
        return JsonResponse({"code": "seat_taken"}, status=409)
    return JsonResponse({"id": booking.pk}, status=201)
