"""Centre pages: "centres near me", a centre's seat map for a day, booking, check-in.

Every page works as plain HTML forms (POST, then redirect, then GET). With JavaScript, htmx
swaps only the seat map when the day changes or a seat is booked: the same views answer
with the map fragment when the request comes from htmx.
"""

import io
from datetime import date

import segno
from django.contrib import messages
from django.contrib.admin.views.decorators import staff_member_required
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_http_methods, require_POST

from accounts.scopes import centres_in_scope
from bookings.centre_pages import page_cache
from bookings.centre_pages.forms import (
    ANY_SEAT,
    BookDaysForm,
    BookSeatForm,
    CheckInCodeForm,
    DayForm,
    NearForm,
)
from bookings.core import check_in_codes, services
from bookings.core.days import bookable_days, next_open_day
from bookings.core.errors import CheckInCodeExpired, TooManyWrongCodes, WrongCheckInCode
from bookings.core.selectors import map_version, open_centres_near, seat_map
from centres.models import Centre
from centres.selectors import COMMUTE_RADII_KM, coming_centres
from wnh.audit import reads_only
from wnh.errors import DomainError


@reads_only
def centre_list(request):
    form = NearForm(request.GET or None)
    day, radius, page = None, None, 1
    if form.is_bound:
        if form.is_valid():
            day = form.cleaned_data["day"] if request.GET.get("day") else None
            radius = form.cleaned_data["radius"]
            page = form.cleaned_data["page"] or 1
        elif "page" in form.errors:
            messages.error(request, _("There is no such page of centres."))
    # Not today once every centre has closed (a Sunday evening): the next day one opens.
    day = day or next_open_day()
    if not form.is_bound:
        form = NearForm(initial={"day": day})
    user = request.user
    home = (
        (float(user.home_latitude), float(user.home_longitude))
        if user.is_authenticated and user.has_home
        else (None, None)
    )
    found = open_centres_near(
        day=day,
        user=user,
        latitude=home[0],
        longitude=home[1],
        radius_km=radius,
        page=page,
    )
    next_page = None
    if found.has_more:
        query = request.GET.copy()
        query["page"] = page + 1
        query.setdefault("day", day.isoformat())
        next_page = "?" + query.urlencode()
    return render(
        request,
        "centres/list.html",
        status=400 if form.is_bound and not form.is_valid() else 200,
        context={
            "form": form,
            "day": day,
            "radius": radius,
            "page": page,
            "next_page": next_page,
            "has_home": home[0] is not None,
            "centres": found.rows,
            "none_within_km": found.none_within_km,
            "coming": coming_centres(latitude=home[0], longitude=home[1]) if page == 1 else [],
            "larger_radius": bool(radius) and radius < max(COMMUTE_RADII_KM),
        },
    )


def _first_bookable_day(centre: Centre) -> date:
    days = bookable_days(centre=centre)
    return days[0] if days else timezone.localdate()


def _waitlist_url(centre: Centre, day: date) -> str | None:
    try:
        return reverse("waitlist:join", kwargs={"slug": centre.slug, "day": day.isoformat()})
    except NoReverseMatch:  # the waitlist is another module's; the page works without it
        return None


# With this many pods or fewer, the map opens every pod; with more, each pod is a folded
# line with its free count, so a phone shows the whole centre on one screen.
OPEN_PODS_UP_TO = 2


def _map_context(
    request, centre: Centre, day: date, open_days: list[date] | None = None, **extra
) -> dict:
    the_map = seat_map(centre=centre, day=day, user=request.user)
    if open_days is None:
        open_days = bookable_days(centre=centre)
    return {
        "centre": centre,
        "day": day,
        "map": the_map,
        # The rules core's answer for the day (bookings.core.days): no second query.
        "open_on_day": day in open_days,
        "waitlist_url": _waitlist_url(centre, day) if the_map.is_full else None,
        "any_seat": ANY_SEAT,
        "bookable_days": open_days[:14],
        "choosing_seat": request.user.is_authenticated
        and not the_map.your_booking
        and not the_map.is_full,
        "open_pods": len(the_map.pods) <= OPEN_PODS_UP_TO,
        **extra,
    }


@reads_only
def centre_detail(request, slug: str):
    centre = get_object_or_404(Centre, slug=slug)
    if not centre.is_open:
        return render(request, "centres/detail.html", {"centre": centre, "map": None})
    form = DayForm(request.GET or None, centre=centre)
    open_days = bookable_days(centre=centre)
    if form.is_bound and form.is_valid():
        day = form.cleaned_data["day"]
    else:
        day = open_days[0] if open_days else timezone.localdate()
        if not form.is_bound:
            form = DayForm(initial={"day": day}, centre=centre)
    if not form.errors and page_cache.enabled() and page_cache.may_share(request):
        version = map_version(centre=centre, day=day, user=request.user)
        if not version.personal:
            return _shared_page(request, centre, day, open_days, version)
    context = _map_context(
        request,
        centre,
        day,
        open_days,
        day_form=form,
        days_form=BookDaysForm(centre=centre),
    )
    if request.htmx:
        for error in form.errors.get("day", []):
            messages.error(request, error)
        return render(request, "centres/_seat_map.html", context)
    status = 400 if form.is_bound and form.errors else 200
    return render(request, "centres/detail.html", context, status=status)


def _shared_page(request, centre: Centre, day: date, open_days: list[date], version):
    """The page everyone of a kind sees, from the cache or rendered into it (page_cache.py)."""
    page_key = page_cache.key(request, centre=centre, day=day, version=version, open_days=open_days)
    html = page_cache.get(page_key)
    if html is None:
        context = _map_context(
            request,
            centre,
            day,
            open_days,
            day_form=DayForm(initial={"day": day}, centre=centre),
            days_form=BookDaysForm(centre=centre),
        )
        template = "centres/_seat_map.html" if request.htmx else "centres/detail.html"
        html = page_cache.render_shared(request, template, context)
        page_cache.put(page_key, html)
    return HttpResponse(page_cache.fill(request, html))


def _refused(request, centre: Centre, days_form: BookDaysForm | None = None):
    """The centre's page again, with the messages saying what to correct: a 400."""
    day = _first_bookable_day(centre)
    context = _map_context(
        request,
        centre,
        day,
        day_form=DayForm(initial={"day": day}, centre=centre),
        days_form=days_form or BookDaysForm(centre=centre),
    )
    return render(request, "centres/detail.html", context, status=400)


def _day_label(day: date) -> str:
    return date_format(day, "D j M Y")


@login_required
@require_POST
def book(request, slug: str):
    """Book one seat (or any free seat) on one day."""
    centre = get_object_or_404(Centre, slug=slug)
    form = BookSeatForm(request.POST, centre=centre)
    day = None
    if not form.is_valid():
        for errors in form.errors.values():
            for error in errors:
                messages.error(request, error)
        if not request.htmx:  # htmx swaps only 2xx answers: it gets the map, below
            return _refused(request, centre)
    else:
        day, seat = form.cleaned_data["day"], form.cleaned_data["seat"]
        try:
            if seat is None:
                booking = services.book_any_seat(user=request.user, centre=centre, day=day)
            else:
                booking = services.book_seat(user=request.user, seat=seat, day=day)
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Seat %(seat)s is yours on %(day)s.")
                % {"seat": booking.seat.label, "day": _day_label(day)},
            )
    day = day or _first_bookable_day(centre)
    if request.htmx:
        # htmx swaps only 2xx answers by default; the map shows the refusal and the fresh state.
        return render(request, "centres/_seat_map.html", _map_context(request, centre, day))
    # To the answer, next to the map: without JavaScript the page opens there.
    return redirect(
        f"{centre.get_absolute_url()}?{urlencode({'day': day.isoformat()})}#map-messages"
    )


@login_required
@require_POST
def book_days(request, slug: str):
    """Book a seat at this centre on several days; each day booked or refused on its own."""
    centre = get_object_or_404(Centre, slug=slug)
    form = BookDaysForm(request.POST, centre=centre)
    if not form.is_valid():
        messages.error(request, _("Nothing was booked. Please correct the dates below."))
        return _refused(request, centre, days_form=form)
    outcomes = services.book_days(user=request.user, centre=centre, days=form.days())
    for outcome in outcomes:
        label = _day_label(outcome.day)
        if outcome.booking:
            messages.success(
                request,
                _("%(day)s: seat %(seat)s booked.")
                % {"day": label, "seat": outcome.booking.seat.label},
            )
        else:
            messages.error(
                request,
                _("%(day)s: not booked. %(reason)s")
                % {"day": label, "reason": getattr(outcome.error, "message", outcome.error)},
            )
    return redirect("bookings:mine")


# -- check-in at the entrance ---------------------------------------------------------
# The entrance screen shows a code that changes every minute (check_in_codes.py): a person
# scans its QR code or types its six digits on the centre's check-in page.


def _link_url(request, centre: Centre, token: str) -> str:
    return request.build_absolute_uri(
        reverse("centres:check_in", kwargs={"slug": centre.slug, "token": token})
    )


def _qr_svg(url: str) -> HttpResponse:
    qr = segno.make(url, error="m")
    svg = io.BytesIO()
    qr.save(svg, kind="svg", scale=8, border=2, dark="#000", light="#fff", xmldecl=False)
    return HttpResponse(svg.getvalue(), content_type="image/svg+xml")


def _screen(request, centre: Centre) -> dict:
    step = check_in_codes.step_at()
    return {
        "code": check_in_codes.typed_code(centre, step),
        "url": _link_url(request, centre, check_in_codes.link_token(centre, step)),
        "step": step,
        "changes_in": check_in_codes.seconds_to_next_step(),
    }


@staff_member_required
@never_cache
def entrance(request, slug: str):
    """The entrance screen (a tablet at the door): a QR code and a short code, both new every
    minute; entrance.js fetches them again, and without JavaScript the page reloads. Staff
    see the pages of the centres they run only."""
    centre = get_object_or_404(centres_in_scope(request.user), slug=slug)
    return render(request, "centres/entrance.html", {"centre": centre, **_screen(request, centre)})


@staff_member_required
@never_cache
def entrance_code(request, slug: str):
    centre = get_object_or_404(centres_in_scope(request.user), slug=slug)
    screen = _screen(request, centre)
    screen["qr"] = reverse("centres:entrance_qr", args=[slug]) + f"?step={screen['step']}"
    return JsonResponse(screen)


@staff_member_required
@never_cache
def entrance_qr(request, slug: str):
    centre = get_object_or_404(centres_in_scope(request.user), slug=slug)
    return _qr_svg(_screen(request, centre)["url"])


def _printed_centre(request, slug: str) -> Centre:
    centre = get_object_or_404(centres_in_scope(request.user), slug=slug)
    if not centre.printed_check_in_code_allowed:
        raise Http404("This centre checks in with the entrance screen only.")
    return centre


@staff_member_required
@never_cache
def entrance_printed(request, slug: str):
    """The fallback: a code good all day, to print, only where the centre's setting allows."""
    centre = _printed_centre(request, slug)
    url = _link_url(request, centre, check_in_codes.day_token(centre))
    return render(request, "centres/entrance_printed.html", {"centre": centre, "check_in_url": url})


@staff_member_required
@never_cache
def entrance_printed_qr(request, slug: str):
    centre = _printed_centre(request, slug)
    return _qr_svg(_link_url(request, centre, check_in_codes.day_token(centre)))


def _check_in_here(request, centre: Centre):
    try:
        booking = services.check_in_at_centre(user=request.user, centre=centre)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _welcome(request, centre, booking)
    return redirect("centres:check_in_by_code", slug=centre.slug)


def _welcome(request, centre: Centre, booking) -> None:
    messages.success(
        request,
        _("Welcome to %(centre)s! You are checked in at seat %(seat)s.")
        % {"centre": centre.local_name, "seat": booking.seat.label},
    )


def _check_in_refused(request, centre: Centre, message: str, status: int = 400):
    return render(
        request,
        "centres/check_in.html",
        {"centre": centre, "error": message, "form": CheckInCodeForm()},
        status=status,
    )


EXPIRED = CheckInCodeExpired.message


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request, slug: str, token: str):
    """The link in the entrance screen's QR code."""
    centre = get_object_or_404(Centre, slug=slug)
    verdict = check_in_codes.check_link_token(centre, token)
    if verdict is check_in_codes.Verdict.WRONG:
        raise Http404("No such check-in code.")
    if verdict is check_in_codes.Verdict.EXPIRED:
        return _check_in_refused(request, centre, EXPIRED)
    if request.method == "POST":
        return _check_in_here(request, centre)
    return render(request, "centres/check_in.html", {"centre": centre, "scanned": True})


@login_required
@require_http_methods(["GET", "POST"])
def check_in_by_code(request, slug: str):
    """Type the six digits the entrance screen shows (no camera, or the QR will not scan)."""
    centre = get_object_or_404(Centre, slug=slug)
    if request.method != "POST":
        return render(
            request, "centres/check_in.html", {"centre": centre, "form": CheckInCodeForm()}
        )
    form = CheckInCodeForm(request.POST)
    if not form.is_valid():
        return render(
            request, "centres/check_in.html", {"centre": centre, "form": form}, status=400
        )
    try:
        booking = services.check_in_with_code(
            user=request.user, centre=centre, code=form.cleaned_data["code"]
        )
    except WrongCheckInCode:
        return _check_in_refused(
            request,
            centre,
            _("That is not the code on the entrance screen of %(centre)s.")
            % {"centre": centre.local_name},
        )
    except (TooManyWrongCodes, CheckInCodeExpired) as error:
        return _check_in_refused(request, centre, error.message, status=error.status)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        _welcome(request, centre, booking)
    return redirect("centres:check_in_by_code", slug=centre.slug)
