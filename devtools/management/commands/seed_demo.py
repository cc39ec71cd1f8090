"""Demo data for trying the portal: the first WNH centres, a company, people, a few bookings.

It makes rows of every app through their services (the booking and reservation rules too).

Safe to run again: everything is looked up by a natural key before it is made.
"""

from datetime import date, timedelta
from decimal import Decimal

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.contrib.auth.models import Group
from django.core.management.base import BaseCommand, CommandError
from django.utils import timezone

from accounts.models import StaffScope, User
from accounts.staff import CENTRE_MANAGERS_GROUP, KDISC_STAFF_GROUP
from bookings.core.days import takes_bookings
from bookings.core.errors import BookingError
from bookings.core.reservations import confirm_pod_reservation, request_pod_reservation
from bookings.core.services import book_any_seat, book_seat
from bookings.models import PodReservation, SeatBooking
from centres.models import Centre, District, Locality
from centres.services import create_pod
from companies.models import Company, Membership
from wnh import weekdays

DEMO_PASSWORD = "wnh-demo-2026"  # noqa: S105 - printed for the newcomer; demo data only
# Staff log in with a second factor too: the demo staff's authenticator app secret (published
# like the password; `manage.py demo_code` prints its current code).
DEMO_TOTP_SECRET = "WNHSEATSDEMOSTAFFKDISCKERALATOTP"  # noqa: S105 - demo data only

Host = Centre.HostKind
Status = Centre.Status

CENTRES = [
    # name, district, local body, PIN, lat, lon, host, status, opened on
    (
        "Kottarakkara",
        District.KOLLAM,
        "Kottarakkara Municipality",
        "691506",
        "9.0040",
        "76.7730",
        Host.GOVERNMENT_BUILDING,
        Status.OPEN,
        date(2026, 1, 19),
    ),
    (
        "Kalamassery",
        District.ERNAKULAM,
        "Kalamassery Municipality",
        "683104",
        "10.0520",
        "76.3150",
        Host.POLYTECHNIC,
        Status.UNDER_CONSTRUCTION,
        None,
    ),
    (
        "Ramanattukara",
        District.KOZHIKODE,
        "Ramanattukara Municipality",
        "673633",
        "11.1760",
        "75.8640",
        Host.LOCAL_GOVERNMENT,
        Status.UNDER_CONSTRUCTION,
        None,
    ),
    (
        "Taliparamba",
        District.KANNUR,
        "Taliparamba Municipality",
        "670141",
        "12.0370",
        "75.3600",
        Host.COLLEGE,
        Status.PLANNED,
        None,
    ),
    (
        "Perinthalmanna",
        District.MALAPPURAM,
        "Perinthalmanna Municipality",
        "679322",
        "10.9760",
        "76.2250",
        Host.LOCAL_GOVERNMENT,
        Status.PLANNED,
        None,
    ),
    (
        "Kollam",
        District.KOLLAM,
        "Kollam Municipal Corporation",
        "691001",
        "8.8930",
        "76.6140",
        Host.ITI,
        Status.PLANNED,
        None,
    ),
    (
        "Varkala",
        District.THIRUVANANTHAPURAM,
        "Varkala Municipality",
        "695141",
        "8.7330",
        "76.7160",
        Host.COLLEGE,
        Status.PLANNED,
        None,
    ),
]
# Each centre's name and address in Malayalam (shown on Malayalam pages and emails).
MALAYALAM = {
    "Kottarakkara": ("കൊട്ടാരക്കര", "വർക്ക് നിയർ ഹോം കേന്ദ്രം, കൊട്ടാരക്കര നഗരസഭ, കൊല്ലം"),
    "Kalamassery": ("കളമശ്ശേരി", "വർക്ക് നിയർ ഹോം കേന്ദ്രം, കളമശ്ശേരി നഗരസഭ, എറണാകുളം"),
    "Ramanattukara": (
        "രാമനാട്ടുകര",
        "വർക്ക് നിയർ ഹോം കേന്ദ്രം, രാമനാട്ടുകര നഗരസഭ, കോഴിക്കോട്",
    ),
    "Taliparamba": ("തളിപ്പറമ്പ്", "വർക്ക് നിയർ ഹോം കേന്ദ്രം, തളിപ്പറമ്പ് നഗരസഭ, കണ്ണൂർ"),
    "Perinthalmanna": (
        "പെരിന്തൽമണ്ണ",
        "വർക്ക് നിയർ ഹോം കേന്ദ്രം, പെരിന്തൽമണ്ണ നഗരസഭ, മലപ്പുറം",
    ),
    "Kollam": ("കൊല്ലം", "വർക്ക് നിയർ ഹോം കേന്ദ്രം, കൊല്ലം മുനിസിപ്പൽ കോർപ്പറേഷൻ, കൊല്ലം"),
    "Varkala": ("വർക്കല", "വർക്ക് നിയർ ഹോം കേന്ദ്രം, വർക്കല നഗരസഭ, തിരുവനന്തപുരം"),
}
# Each centre's local body and host in Malayalam.
MALAYALAM_HOSTS = {
    "Kottarakkara": ("കൊട്ടാരക്കര നഗരസഭ", "ബിഎസ്എൻഎൽ ടെലിഫോൺ എക്സ്ചേഞ്ച് കെട്ടിടം"),
    "Kalamassery": ("കളമശ്ശേരി നഗരസഭ", "ഗവൺമെന്റ് പോളിടെക്നിക് കോളേജ്, കളമശ്ശേരി"),
    "Ramanattukara": ("രാമനാട്ടുകര നഗരസഭ", "രാമനാട്ടുകര നഗരസഭ"),
    "Taliparamba": ("തളിപ്പറമ്പ് നഗരസഭ", "സർ സയ്യിദ് കോളേജ്, തളിപ്പറമ്പ്"),
    "Perinthalmanna": ("പെരിന്തൽമണ്ണ നഗരസഭ", "പെരിന്തൽമണ്ണ നഗരസഭ"),
    "Kollam": ("കൊല്ലം മുനിസിപ്പൽ കോർപ്പറേഷൻ", "ഗവൺമെന്റ് ഐടിഐ, ചന്ദനത്തോപ്പ്"),
    "Varkala": ("വർക്കല നഗരസഭ", "ശ്രീനാരായണ കോളേജ്, വർക്കല"),
}
# The demo centres' post offices in Malayalam: (PIN code, India Post's name) -> name.
POST_OFFICES_ML = {
    ("691506", "Kottarakara"): "കൊട്ടാരക്കര",
    ("683104", "Kalamassery"): "കളമശ്ശേരി",
    ("683104", "Rajagiri"): "രാജഗിരി",
    ("673633", "Ramanattukara"): "രാമനാട്ടുകര",
    ("673633", "Vazhayur"): "വാഴയൂർ",
    ("670141", "Taliparamba"): "തളിപ്പറമ്പ്",
    ("679322", "Perintalmanna"): "പെരിന്തൽമണ്ണ",
    ("691001", "Kollam"): "കൊല്ലം",
    ("691001", "Kollam Bazar"): "കൊല്ലം ബസാർ",
    ("695141", "Varkala"): "വർക്കല",
    ("695141", "Sivagiri mutt"): "ശിവഗിരി മഠം",
}
# Who hosts each centre (Kottarakkara is in the renovated BSNL building).
HOST_NAMES = {
    "Kottarakkara": "BSNL Telephone Exchange building",
    "Kalamassery": "Government Polytechnic College, Kalamassery",
    "Ramanattukara": "Ramanattukara Municipality",
    "Taliparamba": "Sir Syed College, Taliparamba",
    "Perinthalmanna": "Perinthalmanna Municipality",
    "Kollam": "Government ITI, Chandanathope",
    "Varkala": "Sree Narayana College, Varkala",
}
DEMO_RATE = Decimal("150.00")
AMENITIES = ["Air-conditioned", "Fibre internet", "Power backup", "Cafeteria", "Meeting room"]
# 16 pods at the 12,000 sq ft Kottarakkara centre; 6 at each centre still being built.
POD_SIZES = [4, 6, 8, 12] * 4


class Command(BaseCommand):
    help = "Load demo centres, pods, people, a company and bookings (idempotent)."

    def add_arguments(self, parser):
        parser.add_argument(
            "--force",
            action="store_true",
            help="Load the demo even though a real DJANGO_SECRET_KEY is set (a staging site).",
        )

    def handle(self, *args, force=False, **options):
        # A deployment has its own secret key; the demo's accounts have a published password.
        if settings.SECRET_KEY != settings.INSECURE_SECRET_KEY and not force:
            raise CommandError(
                "seed_demo makes accounts with a published password, and this looks like a "
                "deployment (DJANGO_SECRET_KEY is set). Pass --force on a staging site only."
            )
        centres = [self.centre(*row) for row in CENTRES]
        for (pin_code, name), name_ml in POST_OFFICES_ML.items():
            offices = Locality.objects.filter(pin_code=pin_code, name=name, name_ml="")
            offices.update(name_ml=name_ml)
        kottarakkara = centres[0]
        staff = self.person("staff@kdisc.example", "K-DISC Operations", is_staff=True)
        staff.groups.add(Group.objects.get(name=KDISC_STAFF_GROUP))
        root = self.person(
            "admin@kdisc.example", "Portal Administrator", is_staff=True, superuser=True
        )
        manager = self.centre_manager(kottarakkara)
        for user in (staff, root, manager):
            if not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists():
                TOTP.activate(user, DEMO_TOTP_SECRET)
        professional = self.person(
            "asha@example.com", "Asha Nair", home=("691506", "9.0100", "76.7800")
        )
        company = self.company()
        self.bookings(kottarakkara, professional, company, staff)
        self.stdout.write(
            self.style.SUCCESS(
                f"Demo data ready: {Centre.objects.count()} centres, "
                f"{User.objects.count()} people, {SeatBooking.objects.count()} bookings."
            )
        )

    def centre(self, name, district, local_body, pin, lat, lon, host, status, opened_on):
        centre, created = Centre.objects.get_or_create(
            slug=name.lower(),
            defaults=dict(
                name=name,
                district=district,
                local_body=local_body,
                address=f"Work Near Home Centre, {local_body}, {District(district).label}",
                pin_code=pin,
                latitude=Decimal(lat),
                longitude=Decimal(lon),
                host_kind=host,
                host_name=HOST_NAMES.get(name, ""),
                status=status,
                opened_on=opened_on,
                amenities=AMENITIES,
            ),
        )
        name_ml, address_ml = MALAYALAM.get(name, ("", ""))
        if name_ml and not centre.name_ml:  # a demo seeded before the Malayalam names too
            centre.name_ml, centre.address_ml = name_ml, address_ml
            centre.save(update_fields=["name_ml", "address_ml"])
        local_body_ml, host_name_ml = MALAYALAM_HOSTS.get(name, ("", ""))
        if local_body_ml and not centre.local_body_ml:
            centre.local_body_ml, centre.host_name_ml = local_body_ml, host_name_ml
            centre.save(update_fields=["local_body_ml", "host_name_ml"])
        if created:
            centre.rates.create(
                effective_from=opened_on or date(2026, 1, 1),
                seat_day_rate=DEMO_RATE,
                pod_seat_day_rate=DEMO_RATE,
            )
            sizes = POD_SIZES if status == Status.OPEN else POD_SIZES[:6]
            for number, capacity in enumerate(sizes, start=1):
                create_pod(centre=centre, code=f"P{number:02d}", capacity=capacity)
        return centre

    def centre_manager(self, centre):
        """The local manager, who sees and runs only their own centre in the admin."""
        manager = self.person("manager@kottarakkara.example", "Centre Manager", is_staff=True)
        manager.groups.add(Group.objects.get(name=CENTRE_MANAGERS_GROUP))
        scope, _ = StaffScope.objects.get_or_create(
            user=manager, kind=StaffScope.Kind.CENTRE_MANAGER
        )
        scope.centres.add(centre)
        return manager

    def person(self, email, full_name, *, is_staff=False, superuser=False, home=None):
        user, created = User.objects.get_or_create(
            email=email, defaults={"full_name": full_name, "is_staff": is_staff}
        )
        if created:
            user.is_superuser = superuser
            user.set_password(DEMO_PASSWORD)
            if home:
                user.home_pin_code, lat, lon = home
                user.home_place = "Kottarakkara"
                user.home_latitude, user.home_longitude = Decimal(lat), Decimal(lon)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        return user

    def company(self):
        company, _ = Company.objects.get_or_create(
            slug="kottarakkara-code-works",
            defaults=dict(
                name="Kottarakkara Code Works",
                contact_email="team@codeworks.example",
                gstin="32AABCK1234L1Z5",
                website="https://codeworks.example",
                status=Company.Status.APPROVED,
                approved_at=timezone.now(),
            ),
        )
        lead = self.person("lead@codeworks.example", "Meera Pillai")
        Membership.objects.get_or_create(
            user=lead, company=company, defaults={"role": Membership.Role.ADMIN}
        )
        for n, name in enumerate(["Arun Kumar", "Divya Menon", "Faisal Rahman"], start=1):
            member = self.person(f"member{n}@codeworks.example", name)
            Membership.objects.get_or_create(user=member, company=company)
        return company

    def bookings(self, centre, professional, company, staff):
        today = timezone.localdate()
        days = [today + timedelta(days=n) for n in range(1, 15)]
        open_days = [day for day in days if takes_bookings(centre, day)]
        pod = centre.pods.get(code="P04")
        if not PodReservation.objects.filter(company=company, pod=pod).exists():
            lead = company.memberships.get(role=Membership.Role.ADMIN).user
            reservation = request_pod_reservation(
                company=company,
                pod=pod,
                first_day=open_days[0],
                last_day=open_days[-1],
                weekday_mask=weekdays.MONDAY_TO_FRIDAY,
                requested_by=lead,
                note="Demo team pod",
            )
            confirm_pod_reservation(reservation=reservation, decided_by=staff)
        members = [m.user for m in company.memberships.select_related("user")]
        first_team_day = next(
            d for d in open_days if weekdays.includes(weekdays.MONDAY_TO_FRIDAY, d)
        )
        for position, member in enumerate(members, start=1):
            self.book(
                lambda m=member, p=position: book_seat(
                    user=m, seat=pod.seats.get(position=p), day=first_team_day
                ),
                member,
                first_team_day,
            )
        for day in open_days[:3]:
            self.book(
                lambda d=day: book_any_seat(user=professional, centre=centre, day=d),
                professional,
                day,
            )

    def book(self, make_booking, user, day):
        if SeatBooking.objects.filter(user=user, day=day, status__in=SeatBooking.ACTIVE).exists():
            return
        try:
            make_booking()
        except BookingError as error:
            self.stderr.write(f"Skipped a demo booking for {user} on {day}: {error.message}")
