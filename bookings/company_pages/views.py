"""A company's pages that show or change its pod-days and seat-days: the dashboard,
removing a member (which cancels their bookings in the company's pods), pod reservations,
the team's week and the monthly statement.

The company's own pages (registering, members, invitations) are companies/views.py; both
answer under /companies/ (bookings/company_pages/urls.py). Every page looks the company up
through the user's memberships (companies.selectors.membership_for): another company's
slug, or an id belonging to another company, is a 404.
"""

from datetime import date, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import urlencode
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from bookings.company_pages.selectors import pod_day_use, team_week
from bookings.core import reservations as pod_reservations
from bookings.core import services, statements
from bookings.core.days import reservation_days
from bookings.core.statements import pod_reservation_quote
from bookings.models import MAX_RESERVATION_DAYS, PodReservation
from companies import selectors
from companies.forms import (
    AssignSeatForm,
    CancelReservationForm,
    ReservationRequestForm,
    ReservationSearchForm,
)
from companies.models import Company
from wnh import weekdays
from wnh.errors import DomainError
from wnh.params import MonthForm, WeekForm, parse_query


def _month(request) -> date:
    """?month=YYYY-MM, or this month; anything else is a 400 page."""
    return parse_query(MonthForm, request.GET)["month"]


def _week_start(request) -> date:
    """?week=YYYY-MM-DD (any day of it), or this week; anything else is a 400 page."""
    return parse_query(WeekForm, request.GET)["week"]


@login_required
def dashboard(request, slug: str):
    membership = selectors.membership_for(user=request.user, slug=slug)
    month = _month(request)
    first, last = statements.month_bounds(month)
    return render(
        request,
        "companies/dashboard.html",
        {
            "membership": membership,
            "company": membership.company,
            "is_admin": membership.is_admin,
            "month": month,
            "previous_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
            "pod_days": pod_day_use(company=membership.company, first_day=first, last_day=last),
        },
    )


@login_required
@require_POST
def remove_member(request, slug: str, membership_id: int):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    company = membership.company
    removed = get_object_or_404(company.memberships.select_related("user"), pk=membership_id)
    try:
        cancelled = services.remove_member(company=company, user=removed.user, by=request.user)
    except DomainError as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _("%(who)s was removed; %(count)d booking(s) in the company's pods were cancelled.")
            % {"who": removed.user.contact, "count": len(cancelled)},
        )
    return redirect("companies:members", slug=slug)


# -- pod reservations -----------------------------------------------------------------------


@login_required
def reserve(request, slug: str):
    """Pick a centre, size or pod, range and weekdays; see which pods are free; ask for one."""
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    company = membership.company
    status = 200
    if request.method == "POST":
        form = ReservationRequestForm(request.POST, max_days=MAX_RESERVATION_DAYS)
        if form.is_valid() and request.POST.get("confirm") != "yes":
            # First the price: the days, the seats and the rupees, then "Send the request".
            return _confirm_reservation(request, company, membership, form)
        if form.is_valid():
            data = form.cleaned_data
            try:
                reservation = pod_reservations.request_pod_reservation(
                    company=company,
                    pod=data["pod"],
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    weekday_mask=data["weekdays"],
                    requested_by=request.user,
                )
            except DomainError as error:
                messages.error(request, error.message)
            else:
                if reservation.status == PodReservation.Status.CONFIRMED:
                    messages.success(request, _("Pod %(pod)s is reserved.") % {"pod": data["pod"]})
                else:
                    messages.success(
                        request,
                        _("Request sent for %(pod)s. K-DISC will confirm it.")
                        % {"pod": data["pod"]},
                    )
                return redirect("companies:reservations", slug=slug)
        else:
            messages.error(request, _("That request was not valid; please check it."))
            status = 400
        search = ReservationSearchForm(request.POST, max_days=MAX_RESERVATION_DAYS)
    else:
        search = ReservationSearchForm(request.GET or None, max_days=MAX_RESERVATION_DAYS)
    days, pods = [], None
    if search.is_bound and not search.is_valid():
        status = 400  # the page shows the form with what to correct
    elif search.is_bound:
        data = search.cleaned_data
        days, pods = pod_reservations.free_pods_for_range(
            centre=data["centre"],
            company=company,
            first_day=data["first_day"],
            last_day=data["last_day"],
            weekday_mask=data["weekdays"],
            min_capacity=data["size"],
            pod=data["pod"],
        )
    return render(
        request,
        "companies/reserve.html",
        {
            "company": company,
            "membership": membership,
            "form": search,
            "days": days,
            "pods": pods,
            "free_pods": [p for p in pods or [] if p.is_free],
            "busy_pods": [p for p in pods or [] if not p.is_free],
        },
        status=status,
    )


def _confirm_reservation(request, company, membership, form):
    data = form.cleaned_data
    search = {k: v for k, v in request.POST.lists() if k in ReservationSearchForm.base_fields}
    search.pop("pod", None)
    days = reservation_days(
        centre=data["centre"],
        first_day=data["first_day"],
        last_day=data["last_day"],
        weekday_mask=data["weekdays"],
    )
    return render(
        request,
        "companies/reserve_confirm.html",
        {
            "company": company,
            "membership": membership,
            "form": form,
            "pod": data["pod"],
            "quote": pod_reservation_quote(pod=data["pod"], days=days),
            "back": f"{reverse('companies:reserve', args=[company.slug])}?"
            + urlencode(
                {
                    k: v
                    for k, v in request.POST.lists()
                    if k not in ("csrfmiddlewaretoken", "pod", "confirm")
                },
                doseq=True,
            ),
        },
    )


@login_required
def reservations(request, slug: str):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    company = membership.company
    rows = list(
        company.pod_reservations.select_related("pod__centre").order_by(
            "-first_day", "-created_at"
        )[:200]
    )
    for row in rows:
        row.weekdays_label = weekdays.describe(row.weekdays)
    return render(
        request,
        "companies/reservations.html",
        {
            "company": company,
            "membership": membership,
            "reservations": rows,
            "today": timezone.localdate(),
        },
    )


@login_required
@require_POST
def cancel_reservation(request, slug: str, reservation_id: int):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    reservation = get_object_or_404(PodReservation, pk=reservation_id, company=membership.company)
    form = CancelReservationForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Pick the first day to give up."))
    else:
        try:
            pod_reservations.cancel_pod_reservation(
                reservation=reservation, by=request.user, from_day=form.cleaned_data["from_day"]
            )
        except DomainError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request,
                _("Days from %(day)s on were given up.") % {"day": form.cleaned_data["from_day"]},
            )
    return redirect("companies:reservations", slug=slug)


# -- the team -------------------------------------------------------------------------------


@login_required
def team(request, slug: str):
    """The team's week at a glance; admins also assign members to seats here."""
    membership = selectors.membership_for(user=request.user, slug=slug)
    company = membership.company
    is_admin = membership.is_admin
    week_start = _week_start(request)
    form = None
    if is_admin:
        form = AssignSeatForm(
            request.POST or None,
            company=company,
            initial={
                "first_day": max(week_start, timezone.localdate()),
                "last_day": week_start + timedelta(days=6),
            },
        )
        if request.method == "POST" and form.is_valid():
            data = form.cleaned_data
            try:
                made = pod_reservations.assign_seats(
                    company=company,
                    member=data["member"].user,
                    seat=data["seat"],
                    first_day=data["first_day"],
                    last_day=data["last_day"],
                    by=request.user,
                )
            except DomainError as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _("%(who)s has seat %(seat)s on %(count)d day(s).")
                    % {
                        "who": data["member"].user.contact,
                        "seat": data["seat"],
                        "count": len(made),
                    },
                )
                return redirect(f"{request.path}?week={week_start.isoformat()}")
    elif request.method == "POST":
        raise PermissionDenied(_("Only the company's admins can assign seats."))
    days, pods = team_week(company=company, week_start=week_start)
    refused = request.method == "POST" and form is not None and not form.is_valid()
    return render(
        request,
        "companies/team.html",
        {
            "company": company,
            "membership": membership,
            "is_admin": is_admin,
            "days": days,
            "pods": pods,
            "week_start": week_start,
            "previous_week": week_start - timedelta(days=7),
            "next_week": week_start + timedelta(days=7),
            "form": form,
        },
        status=400 if refused else 200,
    )


# -- the monthly statement --------------------------------------------------------------------


@login_required
def statement(request, slug: str):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    month = _month(request)
    first, last = statements.month_bounds(month)
    return render(
        request,
        "companies/statement.html",
        {
            "company": membership.company,
            "membership": membership,
            "statement": statements.monthly_statement(company=membership.company, month=month),
            "previous_month": (first - timedelta(days=1)).replace(day=1),
            "next_month": last + timedelta(days=1),
        },
    )


@login_required
def statement_csv(request, slug: str):
    membership = selectors.membership_for(user=request.user, slug=slug, admin=True)
    month = _month(request)
    company: Company = membership.company
    body = statements.statement_csv(statements.monthly_statement(company=company, month=month))
    # A byte order mark first, or Excel reads UTF-8 (₹, Malayalam names) as Windows-1252.
    response = HttpResponse("\ufeff" + body, content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="{company.slug}-{month:%Y-%m}-statement.csv"'
    )
    return response
