"""Bad input on the organisation pages: the page comes back (400) with the error next to the field, what was typed
still there, and nothing saved."""

from decimal import Decimal

from django.urls import reverse

from core.errors import DomainError
from org import services
from org.models import AuthorityLimit, Staff, StaffEvent


def test_a_login_name_taken_is_refused_at_the_login_name(client_as, carol, station):
    response = client_as(carol).post(reverse("org:staff_create"), {
        "display_name": "李四", "username": "carol", "position": "cashier", "station": station.pk,
        "phone": "13912345678", "password": "Strong-pass-2026"})
    assert response.status_code == 400
    assert response.context["form"].errors["username"]
    body = response.content.decode()
    assert 'value="李四"' in body and 'value="13912345678"' in body
    assert not Staff.objects.filter(display_name="李四").exists()


def test_a_staff_edit_with_a_wrong_mobile_keeps_the_name(client_as, carol, alice):
    response = client_as(carol).post(reverse("org:staff_edit", args=[alice.pk]), {
        "display_name": "爱丽丝", "position": "service_advisor", "station": alice.station_id, "phone": "555"})
    assert response.status_code == 400
    assert "mainland China mobile" in response.context["form"].errors["phone"][0]
    assert 'value="爱丽丝"' in response.content.decode()
    alice.refresh_from_db()
    assert alice.display_name != "爱丽丝"


def _limits(form_rows, **changes):
    data = {}
    for _label, form, position in form_rows:
        for name in ("max_discount_pct", "max_goodwill", "max_complaint_severity"):
            data[f"{position}-{name}"] = form.initial[name]
    data.update(changes)
    return data


def test_authority_limits_out_of_range_are_refused_at_the_cell_and_none_is_saved(client_as, carol):
    client = client_as(carol)
    rows = client.get(reverse("org:authority")).context["rows"]
    data = _limits(rows, **{"service_advisor-max_discount_pct": "150", "cashier-max_goodwill": "800"})
    response = client.post(reverse("org:authority"), data)
    assert response.status_code == 400
    body = response.content.decode()
    cell = body[body.index('name="service_advisor-max_discount_pct"'):]
    cell = cell[:cell.index("</td>")]
    assert 'value="150"' in cell and "less than or equal to 100" in cell
    assert 'name="cashier-max_goodwill" value="800"' in body  # the other row's change is kept too
    assert not AuthorityLimit.objects.exists() and not StaffEvent.objects.filter(kind=StaffEvent.Kind.AUTHORITY).exists()


def test_a_row_the_service_refuses_rolls_back_the_rows_before_it(client_as, carol, monkeypatch):
    client = client_as(carol)
    rows = client.get(reverse("org:authority")).context["rows"]
    first, last = rows[1][2], rows[-1][2]  # rows[0] is the manager's own position: refused on its own
    real = services.authority_limit_set

    def refuse_the_last(**kwargs):
        if kwargs["position"] == last:
            raise DomainError("Not for this position.", field="max_goodwill")
        return real(**kwargs)

    monkeypatch.setattr(services, "authority_limit_set", refuse_the_last)
    data = _limits(rows, **{f"{first}-max_goodwill": "900", f"{last}-max_goodwill": "700"})
    response = client.post(reverse("org:authority"), data)
    assert response.status_code == 400
    body = response.content.decode()
    cell = body[body.index(f'name="{last}-max_goodwill"'):]
    assert 'value="700"' in cell[:cell.index("</td>")] and "Not for this position." in cell[:cell.index("</td>")]
    assert f'name="{first}-max_goodwill" value="900"' in body
    assert not AuthorityLimit.objects.filter(max_goodwill=Decimal("900")).exists()  # the first row rolled back
