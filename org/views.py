"""Home, health, accounts and the organisation pages."""

from __future__ import annotations

from decimal import Decimal

import redis
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import views as auth_views
from django.core.paginator import Paginator
from django.db import connection, transaction
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from core.errors import DomainError
from core.formflow import submit
from core.models import Notification
from core.notifications import my_notifications, notification_mark_all_read, notification_mark_read, unread_count
from core.params import id_or_none
from core.pickers import suggestions
from org import permissions as perm
from org import selectors, services
from org.forms import STATION_POSITIONS, AuthorityLimitForm, StaffForm, StaffSearchForm
from org.lockout import lockouts_of
from org.models import AuthorityLimitChange, Position, Staff, StaffEvent, Station
from org.permissions import public, requires

# Where each position lands after login.
HOME_BY_POSITION = {
    Position.SERVICE_ADVISOR: "reception:index",
    Position.FRONT_DESK_LEAD: "reception:index",
    Position.RECEPTIONIST: "reception:index",
    Position.CASHIER: "settlement:desk",
    Position.WARRANTY_CLERK: "settlement:claims",
    Position.WORKSHOP_LEAD: "workshop:board",
    Position.TECHNICIAN: "workshop:my_jobs",
    Position.QC_INSPECTOR: "workshop:qc",
    Position.TECHNICAL_LEAD: "workshop:index",
    Position.PARTS_LEAD: "parts:index",
    Position.PARTS_CLERK: "parts:index",
    Position.CUSTOMER_RELATIONS: "complaints:index",
    Position.INFORMATION_SPECIALIST: "complaints:index",
    Position.STATION_MANAGER: "kpi:index",
    Position.GROUP_DIRECTOR: "kpi:index",
    Position.REGIONAL_MANAGER: "kpi:index",
}


@requires(perm.HOME)
def home(request: HttpRequest) -> HttpResponse:
    if not selectors.visible_station_ids(request.user) and perm.has_action(request.user, perm.SETUP_GROUP):
        # Right after createsuperuser (or a group director of a group without stations): nothing to work in yet,
        # so the set-up checklist, not an empty org chart.
        return redirect("setup:index")
    target = HOME_BY_POSITION.get(request.user.position)
    if target is None:
        return redirect("org:chart")
    return redirect(target)


def _database_state() -> str:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    except Exception as exc:  # noqa: BLE001 - any failure means the database is down for us
        return f"error: {exc.__class__.__name__}"
    return "ok"


def _redis_state(url: str) -> str:
    try:
        redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1).ping()
    except Exception as exc:  # noqa: BLE001 - any failure means Redis is down for us
        return f"error: {exc.__class__.__name__}"
    return "ok"


@public
def healthz(request: HttpRequest) -> JsonResponse:
    """Liveness: database and broker state; 200 while the database answers, 503 when it does not (a Redis outage
    only slows pages down, so it does not take the node out). Answered over plain HTTP too (SECURE_REDIRECT_EXEMPT)."""
    state = {"database": _database_state(), "broker": "in-process"}
    if settings.REDIS_URL:
        state["broker"] = _redis_state(settings.REDIS_URL)
    status = 200 if state["database"] == "ok" else 503
    state["status"] = "ok" if status == 200 else "error"
    return JsonResponse(state, status=status)


@public
def healthz_ready(request: HttpRequest) -> JsonResponse:
    """Readiness: 200 only while the database, the broker and the shared cache all answer; 503 when any does not,
    so a load balancer sends no new work to a node whose messages and board updates would be lost."""
    state = {"database": _database_state(), "broker": "in-process", "cache": "local"}
    if settings.REDIS_URL:
        state["broker"] = _redis_state(settings.REDIS_URL)
    if settings.CACHE_URL:
        state["cache"] = state["broker"] if settings.CACHE_URL == settings.REDIS_URL else _redis_state(
            settings.CACHE_URL)
    ready = all(not value.startswith("error") for value in state.values())
    state["status"] = "ok" if ready else "error"
    return JsonResponse(state, status=200 if ready else 503)


login_view = public(auth_views.LoginView.as_view(redirect_authenticated_user=True))
logout_view = public(auth_views.LogoutView.as_view())
password_change = requires(perm.HOME)(
    auth_views.PasswordChangeView.as_view(success_url="/accounts/password/done/")
)
password_change_done = requires(perm.HOME)(auth_views.PasswordChangeDoneView.as_view())


@require_POST
@requires(perm.HOME)
def switch_station(request: HttpRequest) -> HttpResponse:
    try:
        station_id = int(request.POST.get("station", ""))
    except ValueError:
        station_id = 0
    if station_id in selectors.visible_station_ids(request.user):
        request.session[selectors.SESSION_STATION_KEY] = station_id
    else:
        messages.error(request, _("You do not have access to that station."))
    target = request.POST.get("next") or reverse("home")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("home")
    return redirect(target)


# --- organisation ----------------------------------------------------------------------------------------------


@requires(perm.ORG_VIEW)
def org_chart(request: HttpRequest) -> HttpResponse:
    station = selectors.current_station(request)
    tree = selectors.org_tree(station) if station else []
    return render(request, "org/chart.html", {"station": station, "tree": tree})


@requires(perm.ORG_VIEW)
def staff_directory(request: HttpRequest) -> HttpResponse:
    stations = selectors.visible_stations(request.user)
    form = StaffSearchForm(request.GET or None, stations=stations)
    query, station_id = "", None
    if form.is_valid():
        query = form.cleaned_data["q"] or ""
        station_id = form.cleaned_data["station"].pk if form.cleaned_data["station"] else None
    people = list(selectors.staff_directory(request.user, query=query, station_id=station_id)[:500])
    locked = {lock.staff.pk for lock in lockouts_of(people)} if perm.has_action(request.user, perm.ORG_MANAGE) else set()
    template = "org/_staff_rows.html" if request.htmx else "org/directory.html"
    return render(request, template, {"form": form, "people": people, "query": query, "locked": locked})


@requires(perm.ORG_VIEW)
def pick_staff(request: HttpRequest) -> HttpResponse:
    """Suggestions of a staff picker (core.pickers): active people of the form's station (``?station=``, one the
    user sees) or the user's own, optionally of some positions (``?position=technician``)."""
    station_id = id_or_none(request.GET.get("station"))
    if station_id and station_id in selectors.visible_station_ids(request.user):
        station = Station.objects.get(pk=station_id)
    else:
        station = selectors.station_or_404(request)
    positions = [p for p in request.GET.get("position", "").split(",") if p in Position.values]
    rows = selectors.pick_staff(station, request.GET.get("q", ""), positions=positions)
    return suggestions(request, rows, detail=lambda s: f"{s.get_position_display()} · {s.username}")


def _save_staff(request: HttpRequest, form: StaffForm, staff: Staff | None):
    data = form.cleaned_data
    common = {
        "by": request.user,
        "station": data["station"],
        "display_name": data["display_name"],
        "position": data["position"],
        "reports_to": data["reports_to"],
        "phone": data["phone"],
        "email": data["email"],
        "employee_no": data["employee_no"],
    }
    if staff is None:
        return services.staff_create(username=data["username"], password=data["password"], **common)
    return services.staff_update(staff=staff, **common)


def _staff_form_page(request: HttpRequest, staff: Staff | None) -> HttpResponse:
    stations = selectors.visible_stations(request.user)
    initial = {"station": selectors.current_station(request)}
    if staff is None:  # the set-up checklist links here with the station and position of the login it needs
        asked = stations.filter(pk=id_or_none(request.GET.get("station", ""))).first()
        if asked is not None:
            initial["station"] = asked
        if request.GET.get("position") in dict(STATION_POSITIONS):
            initial["position"] = request.GET["position"]
    if staff is not None:
        initial = {
            "display_name": staff.display_name,
            "username": staff.username,
            "position": staff.position,
            "station": staff.station,
            "reports_to": staff.reports_to,
            "phone": staff.phone,
            "email": staff.email,
            "employee_no": staff.employee_no,
        }
    form = StaffForm(request.POST or None, initial=initial, stations=stations, editing=staff)
    saved: list[Staff] = []
    if request.method == "POST" and submit(form, lambda data: saved.append(_save_staff(request, form, staff))):
        messages.success(request, _("%(name)s has been saved.") % {"name": saved[0]})
        return redirect("setup:index" if request.GET.get("next") == "setup" else "org:directory")
    lockouts = lockouts_of([staff]) if staff is not None else []
    return render(request, "org/staff_form.html", {"form": form, "staff": staff, "lockouts": lockouts},
                  status=400 if form.is_bound else 200)


@requires(perm.ORG_MANAGE)
def staff_create(request: HttpRequest) -> HttpResponse:
    return _staff_form_page(request, None)


@requires(perm.ORG_MANAGE)
def staff_edit(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.get_scoped(request, Staff.objects.all(), pk=pk)
    return _staff_form_page(request, staff)


@require_POST
@requires(perm.ORG_MANAGE)
def staff_toggle_active(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.get_scoped(request, Staff.objects.all(), pk=pk)
    try:
        services.staff_set_active(by=request.user, staff=staff, active=not staff.is_active)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        if staff.is_active:
            messages.success(request, _("%(name)s can log in again.") % {"name": staff})
        else:
            messages.success(request, _("%(name)s has been deactivated and can no longer log in.") % {"name": staff})
    return redirect("org:directory")


@requires(perm.ORG_MANAGE)
def staff_lockouts(request: HttpRequest) -> HttpResponse:
    """The people of my stations who cannot log in now for failed logins: where from, until when; unlock buttons."""
    people = selectors.scope(Staff.objects.select_related("station"), request.user)
    events = selectors.scope(StaffEvent.objects.filter(kind=StaffEvent.Kind.UNLOCKED), request.user).select_related(
        "staff", "by"
    )[:20]
    return render(request, "org/lockouts.html", {"lockouts": lockouts_of(people), "events": events})


@require_POST
@requires(perm.ORG_MANAGE)
def staff_unlock(request: HttpRequest, pk: int) -> HttpResponse:
    staff = selectors.get_scoped(request, Staff.objects.all(), pk=pk)
    services.staff_unlock(by=request.user, staff=staff)
    messages.success(request, _("%(name)s can log in again from every address.") % {"name": staff})
    return redirect("org:lockouts")


@requires(perm.ORG_MANAGE)
def authority_limits(request: HttpRequest) -> HttpResponse:
    station = selectors.current_station(request)
    rows = []
    for value, label in Position.choices:
        if value in (Position.GROUP_DIRECTOR, Position.REGIONAL_MANAGER):
            continue
        limits = services.limits_for(staff=Staff(station=station, station_id=station.pk, position=value))
        form = AuthorityLimitForm(
            request.POST or None,
            prefix=value,
            initial={
                "max_discount_pct": limits.max_discount_pct,
                "max_goodwill": limits.max_goodwill,
                "max_complaint_severity": limits.max_complaint_severity,
            },
        )
        if not services.may_set_limits(by=request.user, station=station, position=value):
            for field in form.fields.values():  # shown, not editable here: the next person up sets them
                field.widget.attrs["readonly"] = "readonly"
        rows.append((label, form, value))
    if request.method == "POST" and all(form.is_valid() for _label, form, _v in rows):
        changed = [(form, value) for _label, form, value in rows if form.has_changed()]
        if _limits_save(by=request.user, station=station, changed=changed):
            messages.success(request, _("Authority limits saved.") if changed else _("Nothing changed."))
            return redirect("org:authority")
    events = AuthorityLimitChange.objects.filter(station=station).select_related("by")[:30]
    return render(request, "org/authority.html", {"rows": rows, "station": station, "events": events},
                  status=400 if request.method == "POST" else 200)


def _limits_save(*, by: Staff, station, changed: list) -> bool:
    """Save the changed rows, all or none. False when the service refuses a row: nothing is saved, each row keeps
    what was typed and the refusal stands at its field."""
    try:
        with transaction.atomic():
            refused = [form for form, position in changed if not submit(form, lambda data, position=position: (
                services.authority_limit_set(
                    by=by, station=station, position=position,
                    max_discount_pct=data["max_discount_pct"] or Decimal("0"),
                    max_goodwill=data["max_goodwill"] or Decimal("0"),
                    max_complaint_severity=data["max_complaint_severity"] or 0,
                )))]
            if refused:
                raise _NothingSaved
    except _NothingSaved:
        return False
    return True


class _NothingSaved(Exception):
    """Rolls back the rows saved before a refused one."""


# --- the bell: my in-app notifications (core.notifications) --------------------------------------------------------


@requires(perm.REMINDERS_VIEW)
def notifications(request: HttpRequest) -> HttpResponse:
    """The page behind the bell in the top bar: my in-app notifications, newest first, unread ones marked."""
    notes = Paginator(my_notifications(request.user), 30).get_page(request.GET.get("page"))
    return render(request, "org/notifications.html", {"notes": notes, "unread": unread_count(staff=request.user)})


@require_POST
@requires(perm.REMINDERS_VIEW)
def notification_read(request: HttpRequest) -> HttpResponse:
    """Mark one of my notifications read (someone else's id does nothing) and, with ``open``, go to its subject."""
    raw = request.POST.get("notification", "")
    note = Notification.objects.filter(pk=id_or_none(raw), recipient_staff=request.user).first() if id_or_none(raw) else None
    if note is not None:
        notification_mark_read(notification=note, by=request.user)
        target = note.target_url()
        if request.POST.get("open") and target:
            return redirect(target)
    return redirect("org:notifications")


@require_POST
@requires(perm.REMINDERS_VIEW)
def notifications_read_all(request: HttpRequest) -> HttpResponse:
    count = notification_mark_all_read(by=request.user)
    messages.success(request, _("%(count)s notifications marked as read.") % {"count": count})
    return redirect("org:notifications")
