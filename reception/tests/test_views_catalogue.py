import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from reception.models import LabourOperation

HEADER = "code,name_zh,name_en,category,standard_hours,rate_customer\n"


def test_the_catalogue_lists_operations(client_as, alice, oil_change):
    assert "更换机油机滤" in client_as(alice).get(reverse("reception:catalogue")).content.decode()


@pytest.fixture(autouse=True)
def media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path


def test_the_technical_lead_imports_a_csv(client_as, make_staff):
    """Upload → checked (on the workers; in-process here) → Import → imported (core.imports)."""
    lead = make_staff("technical_lead")
    client = client_as(lead)
    upload = SimpleUploadedFile("ops.csv", (HEADER + "SU001,四轮定位,Alignment,底盘,1,300\n").encode())
    response = client.post(reverse("reception:catalogue_import"), {"file": upload})
    assert response.status_code == 302 and not LabourOperation.objects.exists()
    job = client.get(response["Location"]).context["job"]
    client.post(reverse("imports:start", args=[job.pk]))
    assert LabourOperation.objects.get().code == "SU001"


def test_a_wrong_csv_shows_its_rows_and_imports_nothing(client_as, make_staff):
    lead = make_staff("workshop_lead")
    client = client_as(lead)
    upload = SimpleUploadedFile("ops.csv", (HEADER + "SU001,四轮定位,,,1,300\nSU002,,,,x,1\n").encode())
    response = client.post(reverse("reception:catalogue_import"), {"file": upload})
    page = client.get(response["Location"])
    assert "Nothing will be imported" in page.content.decode()
    assert {e["row"] for e in page.context["job"].errors} == {3}
    assert not LabourOperation.objects.exists()


def test_an_advisor_cannot_edit_the_catalogue(client_as, alice):
    assert client_as(alice).get(reverse("reception:catalogue_create")).status_code == 403


def test_the_workshop_lead_adds_an_operation(client_as, make_staff):
    lead = make_staff("workshop_lead")
    response = client_as(lead).post(reverse("reception:catalogue_create"), {
        "code": "br001", "name_zh": "更换前刹车片", "standard_hours": "1", "rate_customer": "300",
        "rate_warranty": "200", "rate_insurance": "280", "rate_internal": "120", "is_active": "on"})
    assert response.status_code == 302 and LabourOperation.objects.get().code == "BR001"
