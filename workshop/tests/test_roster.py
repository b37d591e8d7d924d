"""The roster editor (排班表): planned hours and absences per technician and day, past days read-only, every change
recorded; the week page for everyone who sees the workshop, editing for the workshop lead (plain POST and htmx)."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import override

from core.errors import DomainError
from workshop.factories import AttendanceFactory
from workshop.models import Attendance, RosterChange
from workshop.selectors import capacity_hours, week_start
from workshop.selectors_roster import roster_week
from workshop.services.attendance import attendance_start
from workshop.services.roster import roster_copy_previous_week, roster_set

pytestmark = pytest.mark.django_db

TODAY = timezone.localdate
HX = {"HTTP_HX_REQUEST": "true"}


def tomorrow():
    return TODAY() + timedelta(days=1)


def cell_url(technician, day):
    return reverse("workshop:roster_cell", args=[technician.pk, day.isoformat()])


# --- the service --------------------------------------------------------------------------------------------------


def test_planning_a_day_creates_the_row_and_records_who_and_when(bob, dispatcher):
    row = roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal("6.5"), absent=False, by=dispatcher)
    assert (row.planned_hours, row.is_absent, row.station_id) == (Decimal("6.50"), False, bob.station_id)
    change = RosterChange.objects.get()
    assert change.attendance == row and change.changed_by == dispatcher and change.day == tomorrow()
    assert (change.old_planned_hours, change.old_is_absent) == (None, None)
    assert (change.new_planned_hours, change.new_is_absent, change.source) == (Decimal("6.50"), False, "edit")
    assert timezone.now() - change.changed_at < timedelta(minutes=1)


def test_changing_a_day_records_the_old_and_the_new_plan(bob, dispatcher):
    roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal("8"), absent=False, by=dispatcher)
    roster_set(technician=bob, day=tomorrow(), planned_hours=None, absent=True, by=dispatcher)
    row = Attendance.objects.get(technician=bob, day=tomorrow())
    assert row.is_absent and row.planned_hours == Decimal("8.00")  # kept for when the absence is taken back
    latest = RosterChange.objects.first()
    assert (latest.old_planned_hours, latest.old_is_absent) == (Decimal("8.00"), False)
    assert (latest.new_planned_hours, latest.new_is_absent) == (Decimal("8.00"), True)
    assert capacity_hours(station=bob.station, day=tomorrow()) == Decimal("0")


def test_saving_the_same_plan_again_records_nothing(bob, dispatcher):
    for _ in range(2):
        roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal("7"), absent=False, by=dispatcher)
    assert RosterChange.objects.count() == 1


def test_today_may_still_be_planned(bob, dispatcher):
    roster_set(technician=bob, day=TODAY(), planned_hours=Decimal("4"), absent=False, by=dispatcher)
    assert capacity_hours(station=bob.station, day=TODAY()) == Decimal("4")


def test_past_days_are_read_only(bob, dispatcher):
    yesterday = TODAY() - timedelta(days=1)
    AttendanceFactory(station=bob.station, technician=bob, day=yesterday, planned_hours=Decimal("8"))
    with pytest.raises(DomainError) as refused:
        roster_set(technician=bob, day=yesterday, planned_hours=Decimal("2"), absent=False, by=dispatcher)
    assert refused.value.code == "past_day" and "in the past" in refused.value.message
    assert Attendance.objects.get(technician=bob, day=yesterday).planned_hours == Decimal("8.00")
    assert not RosterChange.objects.exists()


def test_the_past_day_error_is_translated(bob, dispatcher):
    with override("zh-hans"), pytest.raises(DomainError) as refused:
        roster_set(technician=bob, day=TODAY() - timedelta(days=3), planned_hours=Decimal("2"), absent=False, by=dispatcher)
    assert "排班" in refused.value.message


@pytest.mark.parametrize("hours", ["-1", "24.01", "25", "7.125", "NaN"])
def test_planned_hours_are_zero_to_twenty_four_with_two_places(bob, dispatcher, hours):
    with pytest.raises(DomainError) as refused:
        roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal(hours), absent=False, by=dispatcher)
    assert refused.value.field == "planned_hours"
    assert not Attendance.objects.exists() and not RosterChange.objects.exists()


@pytest.mark.parametrize("hours", ["0", "24", "7.25"])
def test_the_limits_themselves_are_allowed(bob, dispatcher, hours):
    row = roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal(hours), absent=False, by=dispatcher)
    assert row.planned_hours == Decimal(hours)


def test_a_day_needs_hours_or_absence(bob, dispatcher):
    with pytest.raises(DomainError) as refused:
        roster_set(technician=bob, day=tomorrow(), planned_hours=None, absent=False, by=dispatcher)
    assert refused.value.field == "planned_hours"


def test_someone_on_shift_today_cannot_be_marked_absent(bob, dispatcher):
    attendance_start(technician=bob)
    with pytest.raises(DomainError) as refused:
        roster_set(technician=bob, day=TODAY(), planned_hours=None, absent=True, by=dispatcher)
    assert refused.value.field == "absent"
    assert not Attendance.objects.get(technician=bob, day=TODAY()).is_absent


def test_only_the_technicians_the_board_counts_have_a_roster(quinn, make_staff, dispatcher):
    gone = make_staff("technician", username="gone", is_active=False)
    for person in (quinn, gone, dispatcher):
        with pytest.raises(DomainError):
            roster_set(technician=person, day=tomorrow(), planned_hours=Decimal("8"), absent=False, by=dispatcher)
    assert not Attendance.objects.exists()


def test_copy_last_week_fills_only_days_not_yet_planned(station, bob, bob2, dispatcher):
    this_monday = week_start(TODAY())
    next_monday = this_monday + timedelta(days=7)
    AttendanceFactory(station=station, technician=bob, day=this_monday, planned_hours=Decimal("6"))
    AttendanceFactory(station=station, technician=bob, day=this_monday + timedelta(days=1), is_absent=True)
    AttendanceFactory(station=station, technician=bob2, day=this_monday, planned_hours=Decimal("5"))
    # Already planned next week: never overwritten.
    AttendanceFactory(station=station, technician=bob2, day=next_monday, planned_hours=Decimal("3"))

    created = roster_copy_previous_week(station=station, week=next_monday + timedelta(days=3), by=dispatcher)

    assert {(r.technician_id, r.day) for r in created} == {(bob.pk, next_monday), (bob.pk, next_monday + timedelta(days=1))}
    assert Attendance.objects.get(technician=bob, day=next_monday).planned_hours == Decimal("6.00")
    assert Attendance.objects.get(technician=bob, day=next_monday + timedelta(days=1)).is_absent
    assert Attendance.objects.get(technician=bob2, day=next_monday).planned_hours == Decimal("3.00")
    changes = RosterChange.objects.filter(source=RosterChange.Source.COPY)
    assert changes.count() == 2 and {c.changed_by for c in changes} == {dispatcher}
    # A second copy finds nothing left to fill.
    assert roster_copy_previous_week(station=station, week=next_monday, by=dispatcher) == []


def test_copy_last_week_leaves_past_days_alone(station, bob, dispatcher):
    this_monday = week_start(TODAY())
    for offset in range(7):
        AttendanceFactory(
            station=station, technician=bob, day=this_monday - timedelta(days=7 - offset), planned_hours=Decimal("6")
        )
    created = roster_copy_previous_week(station=station, week=TODAY(), by=dispatcher)
    assert created and all(row.day >= TODAY() for row in created)
    assert not Attendance.objects.filter(technician=bob, day__gte=this_monday, day__lt=TODAY()).exists()


def test_a_past_week_cannot_be_copied_into(station, bob, dispatcher):
    with pytest.raises(DomainError):
        roster_copy_previous_week(station=station, week=TODAY() - timedelta(days=14), by=dispatcher)


def test_the_week_totals_are_the_capacity(station, bob, bob2, quinn, dispatcher):
    roster_set(technician=bob, day=tomorrow(), planned_hours=Decimal("4.5"), absent=False, by=dispatcher)
    roster_set(technician=bob2, day=tomorrow(), planned_hours=None, absent=True, by=dispatcher)
    week = roster_week(station=station, day=tomorrow())
    assert {r.technician for r in week.rows} == {bob, bob2}  # not the QC inspector
    for total in week.day_totals:
        assert total.total == capacity_hours(station=station, day=total.day)
    assert week.day_total(tomorrow()).total == Decimal("4.5")


# --- the pages ----------------------------------------------------------------------------------------------------


def test_the_week_page_shows_the_station_technicians_and_totals(client_as, bob, bob2, quinn, dispatcher, make_staff, other_station):
    stranger = make_staff("technician", username="stranger", display_name="外站技师", station=other_station)
    AttendanceFactory(station=stranger.station, technician=stranger, day=tomorrow(), planned_hours=Decimal("2"))
    roster_set(technician=bob, day=tomorrow(), planned_hours=None, absent=True, by=dispatcher)
    response = client_as(dispatcher).get(reverse("workshop:roster"), {"week": tomorrow().isoformat()})
    assert response.status_code == 200
    page = response.content.decode()
    assert str(bob) in page and str(bob2) in page
    assert str(quinn) not in page.split('id="roster-changes"')[0]  # QC inspectors do not clock jobs
    assert "外站技师" not in page
    assert "absent" in page
    week = response.context["week"]
    assert week.start == week_start(tomorrow())
    assert f'id="roster-day-{tomorrow():%Y%m%d}"' in page
    assert week.day_total(tomorrow()).total == Decimal("8")  # bob absent, bob2 on the default 8 h
    assert f'href="{cell_url(bob2, tomorrow())}"' in page


def test_any_day_picks_its_week_and_the_links_move_by_a_week(client_as, dispatcher, bob):
    day = TODAY() + timedelta(days=30)
    page = client_as(dispatcher).get(reverse("workshop:roster"), {"week": day.isoformat()}).content.decode()
    monday = week_start(day)
    assert f"?week={monday - timedelta(days=7):%Y-%m-%d}" in page
    assert f"?week={monday + timedelta(days=7):%Y-%m-%d}" in page
    assert f"{monday:%Y-%m-%d} – {monday + timedelta(days=6):%Y-%m-%d}" in page


def test_a_bad_week_parameter_shows_this_week(client_as, dispatcher):
    response = client_as(dispatcher).get(reverse("workshop:roster"), {"week": "not-a-date"})
    assert response.status_code == 200 and response.context["week"].start == week_start(TODAY())


def test_past_days_show_the_actual_shift_and_no_edit_link(client_as, station, bob, dispatcher):
    yesterday = TODAY() - timedelta(days=1)
    start = timezone.now() - timedelta(days=1)
    AttendanceFactory(
        station=station, technician=bob, day=yesterday, started_at=start, ended_at=start + timedelta(hours=8)
    )
    page = client_as(dispatcher).get(reverse("workshop:roster"), {"week": yesterday.isoformat()}).content.decode()
    assert f'href="{cell_url(bob, yesterday)}"' not in page
    assert f"{timezone.localtime(start):%H:%M}–" in page


def test_a_technician_sees_the_roster_read_only_and_cannot_edit(client_as, bob, dispatcher):
    client = client_as(bob)
    page = client.get(reverse("workshop:roster")).content.decode()
    assert cell_url(bob, tomorrow()) not in page and reverse("workshop:roster_copy") not in page
    response = client.post(cell_url(bob, tomorrow()), {"planned_hours": "4"})
    assert response.status_code == 403
    assert client.post(reverse("workshop:roster_copy"), {"week": tomorrow().isoformat()}).status_code == 403
    assert not Attendance.objects.exists()


def test_the_lead_edits_a_cell_without_javascript(client_as, bob, dispatcher):
    client = client_as(dispatcher)
    form_page = client.get(cell_url(bob, tomorrow())).content.decode()
    assert 'name="planned_hours"' in form_page and "<html" in form_page
    response = client.post(cell_url(bob, tomorrow()), {"planned_hours": "6.5"})
    assert response.status_code == 302
    assert response["Location"] == f"{reverse('workshop:roster')}?week={tomorrow():%Y-%m-%d}"
    assert Attendance.objects.get(technician=bob, day=tomorrow()).planned_hours == Decimal("6.50")
    page = client.get(response["Location"]).content.decode()
    assert "Roster saved" in page and str(dispatcher) in page.split('id="roster-changes"')[1]


def test_the_lead_edits_a_cell_with_htmx_and_only_that_cell_comes_back(client_as, bob, dispatcher):
    client = client_as(dispatcher)
    form = client.get(cell_url(bob, tomorrow()), **HX).content.decode()
    assert "<html" not in form and form.strip().startswith("<td") and 'hx-post="' in form
    response = client.post(cell_url(bob, tomorrow()), {"planned_hours": "", "absent": "on"}, **HX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "<html" not in body and body.strip().startswith(f'<td id="roster-cell-{bob.pk}-{tomorrow():%Y%m%d}"')
    assert "absent" in body and 'name="planned_hours"' not in body
    assert f'id="roster-total-{bob.pk}" class="text-end fw-semibold roster-total" hx-swap-oob="true"' in body
    assert f'id="roster-day-{tomorrow():%Y%m%d}"' in body and 'id="roster-changes" hx-swap-oob="true"' in body
    assert Attendance.objects.get(technician=bob, day=tomorrow()).is_absent


def test_cancel_brings_back_the_cell_as_it_was(client_as, bob, dispatcher):
    body = client_as(dispatcher).get(cell_url(bob, tomorrow()) + "?show=1", **HX).content.decode()
    assert body.strip().startswith("<td") and 'name="planned_hours"' not in body


@pytest.mark.parametrize("htmx", [False, True])
@pytest.mark.parametrize("data", [{"planned_hours": "abc"}, {"planned_hours": "30"}, {"planned_hours": "1.234"}, {}])
def test_bad_input_is_shown_at_the_cell_and_nothing_is_saved(client_as, bob, dispatcher, data, htmx):
    response = client_as(dispatcher).post(cell_url(bob, tomorrow()), data, **(HX if htmx else {}))
    assert response.status_code == (200 if htmx else 400)  # htmx swaps only a 2xx answer into the cell
    body = response.content.decode()
    assert ("<html" in body) is not htmx
    cell = body.split(f'id="roster-cell-{bob.pk}-{tomorrow():%Y%m%d}"')[1].split("</td>")[0]
    assert 'role="alert"' in cell and "is-invalid" in cell
    assert f'value="{data.get("planned_hours", "")}"' in cell  # what was typed is kept
    assert not Attendance.objects.exists() and not RosterChange.objects.exists()


def test_a_past_day_is_refused_at_the_cell(client_as, bob, dispatcher):
    yesterday = TODAY() - timedelta(days=1)
    response = client_as(dispatcher).post(cell_url(bob, yesterday), {"planned_hours": "4"}, **HX)
    assert response.status_code == 200 and "in the past" in response.content.decode()
    assert not Attendance.objects.exists()


def test_another_stations_technician_is_not_found(client_as, dispatcher, make_staff, other_station):
    stranger = make_staff("technician", username="stranger", station=other_station)
    client = client_as(dispatcher)
    assert client.get(cell_url(stranger, tomorrow())).status_code == 404
    assert client.post(cell_url(stranger, tomorrow()), {"planned_hours": "4"}, **HX).status_code == 404
    assert not Attendance.objects.exists()


def test_a_qc_inspector_or_a_bad_day_is_not_a_roster_cell(client_as, dispatcher, quinn, bob):
    client = client_as(dispatcher)
    assert client.get(cell_url(quinn, tomorrow())).status_code == 404
    assert client.get(reverse("workshop:roster_cell", args=[bob.pk, "2026-02-30"])).status_code == 404


def test_copy_last_week_from_the_page(client_as, station, bob, dispatcher):
    this_monday = week_start(TODAY())
    next_monday = this_monday + timedelta(days=7)
    AttendanceFactory(station=station, technician=bob, day=this_monday, planned_hours=Decimal("5"))
    response = client_as(dispatcher).post(reverse("workshop:roster_copy"), {"week": next_monday.isoformat()}, follow=True)
    assert "1 day copied from the previous week" in response.content.decode()
    assert Attendance.objects.get(technician=bob, day=next_monday).planned_hours == Decimal("5.00")


def test_the_roster_reads_in_chinese(client_as, bob, dispatcher):
    roster_set(technician=bob, day=tomorrow(), planned_hours=None, absent=True, by=dispatcher)
    client = client_as(dispatcher)
    client.post(reverse("set_language"), {"language": "zh-hans"})
    page = client.get(reverse("workshop:roster"), {"week": tomorrow().isoformat()}).content.decode()
    assert "排班表" in page and "请假" in page and "计划工时" in page


def test_the_workshop_pages_link_to_the_roster(client_as, dispatcher, bob):
    client = client_as(dispatcher)
    for name in ("workshop:index", "workshop:board", "workshop:dispatch"):
        assert reverse("workshop:roster") in client.get(reverse(name)).content.decode()
