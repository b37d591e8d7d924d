"""Dashboards, drill-downs, exports, targets, overhead and the advisor appraisal. Thin: the figures come from
``kpi.dashboards`` / ``kpi.drill``, the writes from ``kpi.services``."""

from __future__ import annotations

from datetime import date
from decimal import Decimal

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from core.formflow import submit
from kpi import drill as drills
from kpi.dashboards import group_board, station_board
from kpi.exports import table_response
from kpi.forms import (
    AppraisalSettingsForm,
    KpiSettingsForm,
    OverheadForm,
    PurchaseTargetForm,
    ReviewForm,
    TargetForm,
)
from kpi.models import (
    Appraisal,
    AppraisalReview,
    AppraisalSettings,
    KpiSettings,
    Overhead,
    PurchaseTarget,
    Target,
)
from kpi.registry import BOARDS, KPIS, format_value
from kpi.selectors import dashboard_stations, period_from_query
from kpi.services import appraisal as appraisal_services
from kpi.services.manage import overhead_set, purchase_target_set, target_set
from org import permissions as perm
from org.models import Position, Station
from org.permissions import requires
from org.selectors import current_station, get_scoped, visible_stations

BOARD_TITLES = {
    "station": gettext_lazy("Station manager"),
    "desk": gettext_lazy("Front desk"),
    "workshop": gettext_lazy("Workshop"),
    "parts": gettext_lazy("Parts"),
    "group": gettext_lazy("Group"),
}
HOME_BOARD = {
    Position.FRONT_DESK_LEAD: "desk",
    Position.WORKSHOP_LEAD: "workshop",
    Position.TECHNICAL_LEAD: "workshop",
    Position.PARTS_LEAD: "parts",
}


def _status(form) -> int:
    """400 when the page shows a posted form again (it failed), else 200."""
    return 400 if form.is_bound else 200


def _station_id(request: HttpRequest) -> int | None:
    try:
        return int(request.GET.get("station") or 0) or None
    except ValueError:
        return None


def _board_context(request: HttpRequest, name: str) -> dict:
    period = period_from_query(request.GET)
    if name == "group":
        stations = list(visible_stations(request.user).select_related("region"))
        board = group_board(stations, period, rank=request.GET.get("rank") or "revenue")
    else:
        stations = dashboard_stations(request.user, _station_id(request), current_station(request))
        board = station_board(name, stations, period, trend=request.GET.get("trend") or "aro")
    station_q = f"&station={stations[0].pk}" if name != "group" and stations else ""
    return {
        "board": board,
        "board_name": name,
        "period": period,
        "query": period.query() + station_q,
        "boards": [(key, BOARD_TITLES[key]) for key in BOARDS if key != "group"],
        "stations": list(visible_stations(request.user)),
        "station": stations[0] if stations and name != "group" else None,
        "kpi_choices": [(c, k.label) for c, k in KPIS.items()],
        "today": timezone.localdate(),
        "title": BOARD_TITLES[name],
        "drill_base": reverse("kpi:drill", args=["-"])[:-2],  # + code + "/": one reverse, not one per cell
    }


def _render_board(request: HttpRequest, name: str) -> HttpResponse:
    return render(request, "kpi/board.html", _board_context(request, name))


@requires(perm.KPI_VIEW)
def index(request: HttpRequest) -> HttpResponse:
    """Each lead lands on their own board; the group roles on the group board if they may see it."""
    if perm.has_action(request.user, perm.KPI_GROUP) and not request.user.station_id:
        return _render_board(request, "group")
    return _render_board(request, HOME_BOARD.get(request.user.position, "station"))


@requires(perm.KPI_VIEW)
def board(request: HttpRequest, name: str) -> HttpResponse:
    if name not in BOARDS or name == "group":
        raise Http404
    return _render_board(request, name)


@requires(perm.KPI_GROUP)
def group(request: HttpRequest) -> HttpResponse:
    return _render_board(request, "group")


def _export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    board = _board_context(request, name)["board"]
    headers, rows = board.table()
    return table_response(headers=headers, rows=rows, fmt=fmt,
                          filename=f"kpi-{name}-{board.period.start}-{board.period.end}")


@requires(perm.KPI_VIEW)
def export(request: HttpRequest, name: str, fmt: str) -> HttpResponse:
    if name not in BOARDS or name == "group":
        raise Http404
    return _export(request, name, fmt)


@requires(perm.KPI_GROUP)
def group_export(request: HttpRequest, fmt: str) -> HttpResponse:
    return _export(request, "group", fmt)


@requires(perm.KPI_VIEW)
def drill(request: HttpRequest, code: str) -> HttpResponse:
    kpi = KPIS.get(code)
    if kpi is None:
        raise Http404
    period = period_from_query(request.GET)
    if request.GET.get("scope") == "group" and perm.has_action(request.user, perm.KPI_GROUP):
        stations = list(visible_stations(request.user))
    else:
        stations = dashboard_stations(request.user, _station_id(request), current_station(request))
    ids = [s.pk for s in stations]
    advisor_id = None
    if request.GET.get("advisor"):
        try:
            advisor_id = int(request.GET["advisor"])
        except ValueError:
            advisor_id = None
    records = drills.records(kpi, ids, period, advisor_id=advisor_id)
    day_headers, day_rows = drills.daily_rows(kpi, ids, period)
    fmt = request.GET.get("format")
    if fmt in ("csv", "xlsx"):
        if records is not None and request.GET.get("table") != "days":
            return table_response(headers=records.headers, rows=records.rows, fmt=fmt, filename=f"kpi-{code}-records")
        return table_response(headers=day_headers, rows=day_rows, fmt=fmt, filename=f"kpi-{code}-days")
    return render(request, "kpi/drill.html", {
        "kpi": kpi, "period": period, "stations": stations, "records": records,
        "day_headers": day_headers, "day_rows": day_rows, "query": request.GET.urlencode(),
    })


def _manage_station(request: HttpRequest) -> Station:
    stations = dashboard_stations(request.user, _station_id(request) or _post_station(request), current_station(request))
    if not stations:
        raise Http404
    return stations[0]


def _post_station(request: HttpRequest) -> int | None:
    try:
        return int(request.POST.get("station") or 0) or None
    except ValueError:
        return None


@requires(perm.KPI_MANAGE)
def targets(request: HttpRequest) -> HttpResponse:
    station = _manage_station(request)
    form = TargetForm(request.POST or None)

    def save(data: dict) -> None:
        kpi, value = KPIS[data["kpi"]], data["value"]
        if value is not None and kpi.unit == "pct":
            value = value / 100
        target_set(station=station, kpi=kpi.code, value=value, by=request.user)

    if request.method == "POST" and submit(form, save):
        messages.success(request, _("Target saved."))
        return redirect(f"{reverse('kpi:targets')}?station={station.pk}")
    rows = []
    saved = {t.kpi: t for t in Target.objects.filter(station=station).select_related("set_by")}
    for code, kpi in KPIS.items():
        t = saved.get(code)
        value = t.value if t else kpi.target
        rows.append({"kpi": kpi, "saved": t, "value": value})
    return render(request, "kpi/targets.html", {"form": form, "rows": rows, "station": station,
                                                "stations": list(visible_stations(request.user))},
                  status=_status(form))


@requires(perm.KPI_MANAGE)
def overhead(request: HttpRequest) -> HttpResponse:
    """The monthly amounts the manager enters: the overhead (absorption) and the genuine-parts purchase target
    (purchase target achievement). One page, two forms told apart by ``what``."""
    station = _manage_station(request)
    posted = request.POST if request.method == "POST" else None
    what = request.POST.get("what") if posted else None
    form = OverheadForm(posted if what != "purchase_target" else None)
    purchase_form = PurchaseTargetForm(posted if what == "purchase_target" else None)
    active = purchase_form if what == "purchase_target" else form
    setter, done = (
        (purchase_target_set, _("Purchase target saved.")) if active is purchase_form
        else (overhead_set, _("Overhead saved."))
    )
    if posted and submit(active, lambda data: setter(station=station, by=request.user, **data)):
        messages.success(request, done)
        return redirect(f"{reverse('kpi:overhead')}?station={station.pk}")
    months = Overhead.objects.filter(station=station).select_related("set_by")[:36]
    purchase_targets = PurchaseTarget.objects.filter(station=station).select_related("set_by")[:36]
    config = KpiSettings.objects.filter(station=station).first() or KpiSettings(station=station)
    return render(request, "kpi/overhead.html", {"form": form, "purchase_form": purchase_form, "months": months,
                                                 "purchase_targets": purchase_targets, "station": station,
                                                 "settings_form": KpiSettingsForm(instance=config),
                                                 "stations": list(visible_stations(request.user))},
                  status=_status(active))


@requires(perm.KPI_MANAGE)
def settings(request: HttpRequest) -> HttpResponse:
    """Technician cost per hour, follow-up window, obsolete months. Changes apply from the next rollup of a day
    (backfill with ``rollup_kpis`` to restate the past)."""
    station = _manage_station(request)
    config = KpiSettings.objects.filter(station=station).first() or KpiSettings(station=station)
    form = KpiSettingsForm(request.POST or None, instance=config)
    if request.method == "POST" and submit(form, lambda data: form.save()):
        messages.success(request, _("KPI settings saved. They apply to days rolled up from now on."))
        return redirect(f"{reverse('kpi:overhead')}?station={station.pk}")
    return render(request, "kpi/appraisal_settings.html", {"form": form, "station": station,
                                                           "heading": _("KPI settings")}, status=_status(form))


def _month(request: HttpRequest) -> date:
    raw = request.GET.get("month") or request.POST.get("month") or ""
    try:
        return date.fromisoformat(f"{raw[:7]}-01")
    except ValueError:
        return timezone.localdate().replace(day=1)


def _appraisal_station(request: HttpRequest) -> Station:
    """The manager's (or director's) chosen station; a lead's own station — another one asked for is a 404."""
    if appraisal_services.appraises_every_role(request.user):
        return _manage_station(request)
    asked = _station_id(request) or _post_station(request)
    if request.user.station_id is None or (asked and asked != request.user.station_id):
        raise Http404
    return request.user.station


@requires(perm.APPRAISE)
def appraisals(request: HttpRequest) -> HttpResponse:
    """The month's appraisals of one role: the roles the user appraises (``roles_appraised_by``), else 403."""
    allowed = appraisal_services.roles_appraised_by(request.user)
    asked = request.GET.get("role") or request.POST.get("role")
    if not allowed or (asked in Appraisal.Role.values and asked not in allowed):
        raise PermissionDenied
    station = _appraisal_station(request)
    month = _month(request)
    role = asked if asked in allowed else allowed[0]
    codes = appraisal_services.ROLE_FIGURES[role]
    if request.method == "POST":
        appraisal_services.appraisals_prepare(station=station, month=month, role=role)
        messages.success(request, _("Figures refreshed from the rollups."))
        return redirect(f"{reverse('kpi:appraisals')}?station={station.pk}&month={month:%Y-%m}&role={role}")
    rows = list(
        Appraisal.objects.filter(station=station, month=month, role=role).select_related("advisor")
        .prefetch_related("reviews")
    )
    for a in rows:
        a.shown = [_fig(KPIS[c], a.figures.get(c)) for c in codes]
    every = appraisal_services.appraises_every_role(request.user)
    return render(request, "kpi/appraisals.html", {
        "station": station, "month": month, "appraisals": rows, "role": role,
        "roles": [(value, label) for value, label in Appraisal.Role.choices if value in allowed],
        "figure_labels": [KPIS[c].label for c in codes], "settings": appraisal_services.settings_for(station),
        "stations": list(visible_stations(request.user)) if every else [station], "every_station": every,
    })


@requires(perm.APPRAISE)
def appraisal_detail(request: HttpRequest, pk: int) -> HttpResponse:
    # another station's appraisal: 404; one of the station the user may not appraise (another lead's people): 403
    appraisal = get_scoped(request, Appraisal.objects.select_related("advisor", "station"), pk=pk)
    if not appraisal_services.may_appraise(request.user, appraisal):
        raise PermissionDenied
    form = ReviewForm(request.POST or None)
    if request.method == "POST" and submit(form, lambda data: appraisal_services.appraisal_review_set(
            appraisal=appraisal, by=request.user, **data)):
        messages.success(request, _("Review saved."))
        return redirect("kpi:appraisal_detail", pk=appraisal.pk)
    reviews = {r.kind: r for r in appraisal.reviews.select_related("entered_by")}
    figures = [(KPIS[c], appraisal.figures.get(c)) for c in appraisal_services.ROLE_FIGURES[appraisal.role]]
    return render(request, "kpi/appraisal_detail.html", {
        "appraisal": appraisal, "form": form, "figures": [(k, _fig(k, v)) for k, v in figures],
        "reviews": [(kind, label, reviews.get(kind)) for kind, label in AppraisalReview.Kind.choices],
        "settings": appraisal_services.settings_for(appraisal.station),
    }, status=_status(form))


def _fig(kpi, value):
    return format_value(kpi, None if value is None else Decimal(value))


@requires(perm.KPI_MANAGE)
def appraisal_settings(request: HttpRequest) -> HttpResponse:
    station = _manage_station(request)
    instance = AppraisalSettings.objects.filter(station=station).first() or AppraisalSettings(station=station)
    form = AppraisalSettingsForm(request.POST or None, instance=instance)
    if request.method == "POST" and submit(form, lambda data: form.save()):
        messages.success(request, _("Appraisal weights saved."))
        return redirect(f"{reverse('kpi:appraisals')}?station={station.pk}")
    return render(request, "kpi/appraisal_settings.html", {"form": form, "station": station}, status=_status(form))
