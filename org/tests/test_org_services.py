import pytest

from core.errors import DomainError
from org import services
from org.models import Staff, StaffEvent


def test_create_staff_records_who_created_them(carol, station):
    person = services.staff_create(
        by=carol, station=station, username="newbie", password="pw-Long-enough-2026", display_name="新人",
        position="technician", reports_to=carol,
    )
    assert person.check_password("pw-Long-enough-2026")
    event = StaffEvent.objects.get(staff=person)
    assert event.kind == "created" and event.by == carol


def test_duplicate_login_is_refused_at_the_field(carol, station):
    with pytest.raises(DomainError) as err:
        services.staff_create(by=carol, station=station, username="CAROL", password="x", display_name="x",
                              position="technician")
    assert err.value.field == "username"


def test_supervisor_from_another_station_is_refused(carol, station, mallory):
    with pytest.raises(DomainError) as err:
        services.staff_create(by=carol, station=station, username="n2", password="x", display_name="x",
                              position="technician", reports_to=mallory)
    assert err.value.field == "reports_to"


def test_moving_someone_under_their_own_report_is_refused(carol, alice, station):
    lead = alice.reports_to
    with pytest.raises(DomainError):
        services.staff_update(by=carol, staff=lead, station=station, display_name="x", position="front_desk_lead",
                              reports_to=alice)


def test_deactivated_person_cannot_log_in_and_their_reports_move_up(client, carol, alice, station):
    lead = alice.reports_to
    services.staff_set_active(by=carol, staff=lead, active=False)
    alice.refresh_from_db()
    assert alice.reports_to == carol
    response = client.post("/accounts/login/", {"username": "frank", "password": "test-pass-2026"})
    assert response.status_code == 200 and "_auth_user_id" not in client.session
    assert Staff.objects.filter(pk=lead.pk).exists()  # history stays
    assert StaffEvent.objects.filter(staff=lead, kind="deactivated", by=carol).exists()


def test_nobody_deactivates_themselves(carol):
    with pytest.raises(DomainError):
        services.staff_set_active(by=carol, staff=carol, active=False)
