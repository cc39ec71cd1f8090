from django.db import models


class Seat(models.Model):
    label = models.CharField(max_length=20)

    def __str__(self) -> str:
        return self.label


class Booking(models.Model):
    """A seat for a day, as the portal's SeatBooking: the constraint decides a race."""

    seat = models.ForeignKey(Seat, on_delete=models.PROTECT)
    day = models.DateField()
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["seat", "day"], name="one_booking_a_seat_day")
        ]

    def __str__(self) -> str:
        return f"{self.seat_id} on {self.day}"
