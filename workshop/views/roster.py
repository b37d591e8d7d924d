"""The roster editor (排班表): a week of planned hours and absences per technician.

Everyone who sees the workshop sees the roster; the workshop lead (WORKSHOP_DISPATCH) edits it. A cell is edited in
place with htmx (the response swaps that cell and refreshes the totals out of band) or, without JavaScript, on the
same week page with that cell open (plain POST, then a redirect back to the week).
"""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from core.access import not_found
from core.errors import DomainError
from core.formflow import submit
from org import permissions as perm
from org.permissions import requires
from org.selectors import get_scoped, station_or_404
from workshop import selectors
from workshop.forms import RosterCellForm
from workshop.selectors_roster import RosterCell, recent_changes, roster_week
from workshop.services import roster


def _parse_day(value: str | None) -> date | None:
    try:
        return date.fromisoformat(value) if value else None
    except ValueError:
        return None


def _week_url(day: date) -> str:
    return f"{reverse('workshop:roster')}?week={day:%Y-%m-%d}"


def _render_week(
    request: HttpRequest, station, day: date, *, editing: RosterCell | None = None, status: int = 200
) -> HttpResponse:
    week = roster_week(station=station, day=day)
    if editing is not None:
        cell = week.cell(editing.technician.pk, editing.day)
        if cell is not None:
            cell.form = editing.form
    context = {
        "station": station,
        "week": week,
        "may_edit": perm.has_action(request.user, perm.WORKSHOP_DISPATCH),
        "changes": recent_changes(station=station),
        "default_hours": selectors.DEFAULT_SHIFT_HOURS,
    }
    return render(request, "workshop/roster.html", context, status=status)


@requires(perm.WORKSHOP_VIEW)
def roster_page(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    return _render_week(request, station, _parse_day(request.GET.get("week")) or timezone.localdate())


@requires(perm.WORKSHOP_DISPATCH)
@require_http_methods(["GET", "POST"])
def roster_cell(request: HttpRequest, pk: int, day: str) -> HttpResponse:
    """GET: the cell's edit form (htmx: the cell alone; ``?show=1`` the cell as displayed, to cancel). POST: save it."""
    station = station_or_404(request)
    technician = get_scoped(request, selectors.technicians(station), pk=pk)
    when = _parse_day(day)
    if when is None:
        not_found(request, what="roster day")
    week = roster_week(station=station, day=when)
    cell = week.cell(technician.pk, when)
    context = {"cell": cell, "may_edit": True, "week": week}
    if request.method == "GET":
        if not cell.editable or request.GET.get("show"):
            if request.htmx:
                return render(request, "workshop/_roster_cell.html", context)
            return redirect(_week_url(when))
        cell.form = RosterCellForm(
            initial={"planned_hours": cell.row.planned_hours if cell.row else selectors.DEFAULT_SHIFT_HOURS,
                     "absent": cell.is_absent}
        )
        if request.htmx:
            return render(request, "workshop/_roster_cell.html", context)
        return _render_week(request, station, when, editing=cell)

    form = RosterCellForm(request.POST)
    if submit(form, lambda data: roster.roster_set(technician=technician, day=when, by=request.user, **data)):
        if request.htmx:
            week = roster_week(station=station, day=when)
            context = {
                "cell": week.cell(technician.pk, when), "row": week.row(technician.pk),
                "day_total": week.day_total(when), "may_edit": True, "week": week,
                "changes": recent_changes(station=station),
            }
            return render(request, "workshop/_roster_saved.html", context)
        messages.success(
            request, _("Roster saved: %(name)s, %(day)s.") % {"name": technician, "day": f"{when:%Y-%m-%d}"}
        )
        return redirect(_week_url(when))
    cell.form = form
    if request.htmx:  # htmx swaps only a 2xx answer: the cell with its error comes back as 200
        return render(request, "workshop/_roster_cell.html", context)
    return _render_week(request, station, when, editing=cell, status=400)


@requires(perm.WORKSHOP_DISPATCH)
@require_POST
def roster_copy(request: HttpRequest) -> HttpResponse:
    station = station_or_404(request)
    day = _parse_day(request.POST.get("week")) or timezone.localdate()
    try:
        created = roster.roster_copy_previous_week(station=station, week=day, by=request.user)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if created:
            messages.success(
                request,
                ngettext(
                    "%(n)s day copied from the previous week.", "%(n)s days copied from the previous week.", len(created)
                ) % {"n": len(created)},
            )
        else:
            messages.info(request, _("Nothing to copy: every open day is already planned or the previous week has no plan."))
    return redirect(_week_url(day))
