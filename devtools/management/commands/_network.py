"""Bench networks: open centres made in bulk (the leading underscore keeps this module from
being a management command of its own)."""

from decimal import Decimal

from centres.models import Centre, District


def make_open_centres(*, count: int, slug_prefix: str, **fields) -> list[int]:
    """`count` open centres whose slugs start with `slug_prefix`, spread over the districts.
    Returns their ids in order."""
    districts = District.values
    Centre.objects.bulk_create(
        Centre(
            name=f"{slug_prefix.replace('-', ' ').capitalize()}{i}",
            slug=f"{slug_prefix}{i}",
            district=districts[i % len(districts)],
            local_body="Bench",
            address="Bench",
            pin_code="691506",
            latitude=Decimal("9.0"),
            longitude=Decimal("76.7"),
            host_kind=Centre.HostKind.GOVERNMENT_BUILDING,
            status=Centre.Status.OPEN,
            **fields,
        )
        for i in range(count)
    )
    return list(
        Centre.objects.filter(slug__startswith=slug_prefix)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
