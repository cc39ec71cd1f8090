"""`make bench`, second part: the evening rush, when people book tomorrow's seats at once.

Loads a network (committed, so every thread sees it: default 60 centres of 8 pods of 10
seats, 4,800 seats) and more people than seats (default 8,000). Then THREADS workers, each
on its own database connection, play the people: each looks at a centre's free seats twice,
then asks for any seat there tomorrow. Most people want one of a few popular centres, so many
meet a full centre and must get "full, here is the waitlist" fast. It reports bookings per
second and the latency of a booking call, and deletes everything it loaded.

Python threads share one interpreter, so on 2 cores this measures the portal's code and
PostgreSQL together, as one web process with many threads would see them.
"""

import random
import statistics
import threading
import time
from collections import Counter
from datetime import timedelta

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.utils import timezone

from accounts.models import User
from bookings.core.pods import free_seats
from bookings.core.services import book_any_seat
from bookings.models import SeatBooking, WaitlistEntry
from centres.models import Centre, Pod, Seat
from wnh import weekdays
from wnh.db import Busy
from wnh.errors import DomainError

from ._network import make_open_centres

SLUG = "rush-centre-"
EMAIL_DOMAIN = "@rush.invalid"


class Command(BaseCommand):
    help = "Measure booking under a rush: many threads booking tomorrow at once (PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--centres", type=int, default=60)
        parser.add_argument("--people", type=int, default=8000)
        parser.add_argument("--threads", type=int, default=16)
        parser.add_argument(
            "--popular",
            type=int,
            default=6,
            help="How many centres most people want (the rest pick any centre).",
        )

    def handle(self, *args, centres, people, threads, popular, **options):
        if connection.vendor != "postgresql":
            raise CommandError("The bench runs on PostgreSQL only: set DATABASE_URL.")
        if Centre.objects.filter(slug__startswith=SLUG).exists():
            raise CommandError("A previous rush bench left its centres; run it again to clean.")
        started = time.perf_counter()
        centre_ids, person_ids = self.load(centres=centres, people=people)
        self.stderr.write(f"network loaded in {time.perf_counter() - started:.1f} s")
        try:
            self.rush(
                centre_ids=centre_ids, person_ids=person_ids, threads=threads, popular=popular
            )
        finally:
            self.clean()

    def load(self, *, centres: int, people: int) -> tuple[list[int], list[int]]:
        centre_ids = make_open_centres(
            count=centres, slug_prefix=SLUG, open_weekdays=weekdays.ALL_DAYS
        )
        Pod.objects.bulk_create(
            Pod(centre_id=centre_id, code=f"R{p}", capacity=10)
            for centre_id in centre_ids
            for p in range(8)
        )
        pods = Pod.objects.filter(centre_id__in=centre_ids).values_list("pk", "code")
        Seat.objects.bulk_create(
            (
                Seat(pod_id=pod_id, label=f"{code}-{n:02d}", position=n)
                for pod_id, code in pods
                for n in range(1, 11)
            ),
            batch_size=10000,
        )
        User.objects.bulk_create(
            (User(email=f"rush-{i}{EMAIL_DOMAIN}", password="!") for i in range(people)),  # noqa: S106 - unusable
            batch_size=10000,
        )
        person_ids = list(
            User.objects.filter(email__endswith=EMAIL_DOMAIN).values_list("pk", flat=True)
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE centres_seat; ANALYZE centres_pod; ANALYZE accounts_user")
        return centre_ids, person_ids

    def rush(self, *, centre_ids, person_ids, threads, popular) -> None:
        tomorrow = timezone.localdate() + timedelta(days=1)
        centres = {c.pk: c for c in Centre.objects.filter(pk__in=centre_ids)}
        people = {u.pk: u for u in User.objects.filter(pk__in=person_ids)}
        chooser = random.Random(2026)  # the same crowd every run  # noqa: S311
        # Three in four people want one of the popular centres: the busy-evening shape.
        wishes = [
            (
                people[pk],
                centres[
                    chooser.choice(centre_ids[:popular])
                    if chooser.random() < 0.75
                    else chooser.choice(centre_ids)
                ],
            )
            for pk in person_ids
        ]
        queue = iter(wishes)
        lock = threading.Lock()
        latencies: list[float] = []
        looks: list[float] = []
        outcomes: Counter[str] = Counter()

        def play() -> None:
            try:
                while True:
                    with lock:
                        wish = next(queue, None)
                    if wish is None:
                        return
                    person, centre = wish
                    for _ in range(2):
                        began = time.perf_counter()
                        free_seats(centre=centre, day=tomorrow, user=person).count()
                        looks.append(time.perf_counter() - began)
                    began = time.perf_counter()
                    try:
                        book_any_seat(user=person, centre=centre, day=tomorrow)
                        outcome = "booked"
                    except (DomainError, Busy) as error:
                        outcome = error.code
                    latencies.append(time.perf_counter() - began)
                    outcomes[outcome] += 1
            finally:
                connection.close()

        started = time.perf_counter()
        workers = [threading.Thread(target=play) for _ in range(threads)]
        for worker in workers:
            worker.start()
        for worker in workers:
            worker.join()
        elapsed = time.perf_counter() - started

        booked = SeatBooking.objects.filter(
            day=tomorrow, user__email__endswith=EMAIL_DOMAIN, status=SeatBooking.Status.BOOKED
        ).count()
        seats = len(centre_ids) * 80
        rows = [
            ("people, seats, threads", f"{len(wishes):,}, {seats:,}, {threads}"),
            ("requests answered", f"{len(latencies):,} in {elapsed:.1f} s"),
            ("requests per second (each after 2 looks)", f"{len(latencies) / elapsed:,.0f}"),
            ("bookings made (checked in the database)", f"{booked:,}"),
            ("outcomes", ", ".join(f"{k} {v:,}" for k, v in outcomes.most_common())),
            ("booking call latency p50 / p95 / p99", self.percentiles(latencies)),
            ("availability look latency p50 / p95 / p99", self.percentiles(looks)),
        ]
        self.stdout.write(f"Booking rush on {connection.settings_dict['NAME']} (cleaned up after)")
        for label, value in rows:
            self.stdout.write(f"  {label:<44} {value}")
        if booked != outcomes["booked"]:
            raise CommandError("The database holds a different number of bookings than made.")

    def percentiles(self, values: list[float]) -> str:
        cuts = statistics.quantiles(values, n=100)
        return " / ".join(f"{cuts[p - 1] * 1000:.0f} ms" for p in (50, 95, 99))

    def clean(self) -> None:
        rush = User.objects.filter(email__endswith=EMAIL_DOMAIN)
        SeatBooking.objects.filter(user__in=rush).delete()
        WaitlistEntry.objects.filter(user__in=rush).delete()
        centres = Centre.objects.filter(slug__startswith=SLUG)
        Seat.objects.filter(pod__centre__in=centres).delete()
        Pod.objects.filter(centre__in=centres).delete()
        centres.delete()
        rush.delete()
