from datetime import date
from decimal import Decimal

import factory
from django.utils.text import slugify

from accounts.models import User
from centres.models import Centre, District, Pod
from companies.models import Company, Membership


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"person{n}@example.com")
    full_name = factory.Faker("name", locale="en_IN")
    password = factory.PostGenerationMethodCall("set_password", "a-long-test-password")

    @factory.post_generation
    def verified(obj, create, extracted, **kwargs):
        """allauth needs a verified EmailAddress row to let the person log in."""
        if create and extracted is not False:
            from allauth.account.models import EmailAddress

            obj.save()
            EmailAddress.objects.get_or_create(
                user=obj, email=obj.email, defaults={"verified": True, "primary": True}
            )


class CentreFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Centre
        skip_postgeneration_save = True

    name = factory.Sequence(lambda n: f"Centre {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    district = District.KOLLAM
    local_body = "Kottarakkara Municipality"
    address = "Old BSNL building, Kottarakkara"
    pin_code = "691506"
    latitude = Decimal("9.000000")
    longitude = Decimal("76.770000")
    host_kind = Centre.HostKind.GOVERNMENT_BUILDING
    status = Centre.Status.OPEN

    @factory.post_generation
    def seat_day_rate(obj, create, extracted, **kwargs):
        """One rate, in force long before any day a test seeds (pass a rate to change it;
        pod-days are billed at it too)."""
        if create:
            rate = Decimal("150.00") if extracted is None else Decimal(extracted)
            obj.rates.create(
                effective_from=date(2020, 1, 1), seat_day_rate=rate, pod_seat_day_rate=rate
            )


class PodFactory(factory.django.DjangoModelFactory):
    """Pods are made through the service, so their seats exist as they would in the portal."""

    class Meta:
        model = Pod

    centre = factory.SubFactory(CentreFactory)
    code = factory.Sequence(lambda n: f"P{n:02d}")
    capacity = 6

    @classmethod
    def _create(cls, model_class, *args, **kwargs):
        from centres.services import create_pod

        return create_pod(**kwargs)


class CompanyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Company
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Company {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.name))
    contact_email = factory.LazyAttribute(lambda o: f"team@{o.slug}.example")
    status = Company.Status.APPROVED


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    company = factory.SubFactory(CompanyFactory)
    role = Membership.Role.MEMBER


def _now():
    from django.utils import timezone

    return timezone.now()


class SeatBookingFactory(factory.django.DjangoModelFactory):
    """A booking row as it would be in the database, without the booking rules: for seeding
    figures and sweeps. Tests of the rules themselves call the services."""

    class Meta:
        model = "bookings.SeatBooking"
        skip_postgeneration_save = True

    user = factory.SubFactory(UserFactory)
    seat = None  # pass a seat
    day = None  # pass a day
    status = "booked"
    booked_by = factory.SelfAttribute("user")
    cancelled_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == "cancelled"),
        factory.LazyFunction(_now),
        None,
    )
    checked_in_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == "checked_in"),
        factory.LazyFunction(_now),
        None,
    )
    no_show_at = factory.Maybe(
        factory.LazyAttribute(lambda o: o.status == "no_show"),
        factory.LazyFunction(_now),
        None,
    )

    @factory.post_generation
    def booked_the_day_before(obj, create, extracted, **kwargs):
        """Made at noon the day before its day, as people book: not at whatever time the
        test runs (created_at is auto_now_add, so it is set after the insert)."""
        if create:
            from datetime import datetime, time, timedelta

            from django.utils import timezone

            made = timezone.make_aware(datetime.combine(obj.day - timedelta(days=1), time(12)))
            type(obj).objects.filter(pk=obj.pk).update(created_at=made)
            obj.created_at = made


class WaitlistEntryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "bookings.WaitlistEntry"

    user = factory.SubFactory(UserFactory)
    centre = factory.SubFactory(CentreFactory)
    day = None  # pass a day
