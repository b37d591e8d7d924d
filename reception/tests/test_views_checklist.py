from django.urls import reverse

from reception.models import ChecklistItem


def test_the_station_manager_adds_and_switches_off_checklist_points(client_as, carol, station):
    client = client_as(carol)
    assert client.get(reverse("reception:checklist")).status_code == 200
    client.post(reverse("reception:checklist"), {"area": "other", "label": "行车记录仪", "position": 10})
    item = ChecklistItem.objects.get(label="行车记录仪")
    client.post(reverse("reception:checklist"), {"toggle": item.pk})
    item.refresh_from_db()
    assert not item.is_active


def test_an_advisor_cannot_change_the_checklist(client_as, alice):
    assert client_as(alice).get(reverse("reception:checklist")).status_code == 403


def test_the_front_desk_lead_keeps_the_checklist_too(client_as, alice, station):
    lead = alice.reports_to  # frank, the front-desk lead
    client = client_as(lead)
    client.post(reverse("reception:checklist"), {"area": "other", "label": "随车工具", "position": 20})
    assert ChecklistItem.objects.filter(station=station, label="随车工具").exists()
