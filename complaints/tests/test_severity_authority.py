"""Issue 13 item 5: a complaint's severity is lowered only by someone with authority over the severity it has, and
closing needs authority over the highest severity it ever had."""

import pytest
from django.urls import reverse

from complaints.models import Complaint
from org.models import AuthorityLimit

pytestmark = pytest.mark.django_db


def _url(name, c):
    return reverse(f"complaints:{name}", args=[c.pk])


def _to_closing(client, c, owner):
    """Handle, feed back and get the customer's yes: the complaint waits to be closed."""
    client.post(_url("handle", c), {"remedy": "Refitted", "goodwill": "0"})
    client.post(_url("contact", c), {"channel": "phone", "summary": "Told the customer", "customer_accepts": "true"})
    client.post(_url("feedback", c), {"accepted": "yes"})
    c.refresh_from_db()
    assert c.state == Complaint.State.IMPROVING


def _close(client, c, owner):
    return client.post(_url("close", c), {"corrective_action": "Check clips", "corrective_owner": owner.pk,
                                          "corrective_due": "2026-12-01", "satisfaction": 4})


@pytest.fixture
def serious(new_complaint, care):
    """A severity 2 complaint owned by customer relations (who may close severity 1 only), in analysis."""
    c = new_complaint(severity=2, owner=care)
    assert c.max_severity == 2
    return c


def test_customer_relations_cannot_lower_severity_2_to_1_in_analysis(client_as, care, serious):
    client = client_as(care)
    client.post(_url("acknowledge", serious))
    response = client.post(_url("analyse", serious),
                           {"root_cause": "Loose clip", "responsible_department": "workshop", "severity": 1})
    assert response.status_code == 400
    assert "authority" in str(response.context["analyse_form"].errors["severity"])
    serious.refresh_from_db()
    assert serious.severity == 2 and serious.state == Complaint.State.ANALYSING


def test_raising_the_severity_needs_no_authority_and_is_remembered(client_as, care, new_complaint):
    c = new_complaint(severity=1, owner=care)
    client = client_as(care)
    client.post(_url("acknowledge", c))
    client.post(_url("analyse", c), {"root_cause": "Loose clip", "responsible_department": "workshop", "severity": 3})
    c.refresh_from_db()
    assert (c.severity, c.max_severity) == (3, 3)


def test_a_complaint_once_severity_2_is_not_closed_by_customer_relations(client_as, care, carol, serious):
    client_as(care).post(_url("acknowledge", serious))
    # the station manager may lower it (authority over severity 3)...
    response = client_as(carol).post(_url("analyse", serious),
                                     {"root_cause": "Loose clip", "responsible_department": "workshop", "severity": 1})
    assert response.status_code == 302
    serious.refresh_from_db()
    assert (serious.severity, serious.max_severity) == (1, 2)
    client = client_as(care)
    _to_closing(client, serious, care)
    # ...but closing still needs authority over severity 2
    response = _close(client, serious, care)
    assert response.status_code == 400
    serious.refresh_from_db()
    assert serious.state == Complaint.State.IMPROVING
    assert _close(client_as(carol), serious, care).status_code == 302
    serious.refresh_from_db()
    assert serious.state == Complaint.State.CLOSED


def test_customer_relations_with_authority_for_2_may_close_it(client_as, care, carol, station, serious):
    AuthorityLimit.objects.create(station=station, position="customer_relations", max_complaint_severity=2)
    client = client_as(care)
    client.post(_url("acknowledge", serious))
    assert client.post(_url("analyse", serious), {
        "root_cause": "Loose clip", "responsible_department": "workshop", "severity": 1}).status_code == 302
    _to_closing(client, serious, care)
    assert _close(client, serious, care).status_code == 302
    serious.refresh_from_db()
    assert serious.state == Complaint.State.CLOSED and serious.max_severity == 2


def test_the_migration_backfills_the_highest_severity_from_the_history(new_complaint, care, carol):
    import importlib

    from django.apps import apps

    from complaints.models import ComplaintEvent

    migration = importlib.import_module("complaints.migrations.0004_complaint_max_severity")
    lowered = new_complaint(severity=1, owner=care)
    ComplaintEvent.objects.create(complaint=lowered, kind="transition", by=carol, note="严重程度 3 → 1")
    crisis = new_complaint(severity=4, owner=care)
    plain = new_complaint(severity=2, owner=care)
    Complaint.objects.update(max_severity=1)
    Complaint.objects.filter(pk=crisis.pk).update(is_crisis=True)
    migration.backfill(apps, None)
    assert dict(Complaint.objects.values_list("pk", "max_severity")) == {lowered.pk: 3, crisis.pk: 4, plain.pk: 2}
