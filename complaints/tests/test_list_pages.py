"""The call queue and the complaints list: their rows are built in Python (complaints_tags.call_rows/complaint_rows)
. Each prints what the template tags printed before, row for row (the old row
templates are kept here as the reference), and each page reads the same number of queries for 1 row as for 10."""

from datetime import timedelta

import pytest
from django.db import connection
from django.template import Context, Template
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone, translation

from complaints import selectors
from complaints.models import Complaint, FollowUpCall
from complaints.services.followups import followup_create_for_order
from complaints.templatetags.complaints_tags import call_rows, complaint_rows, complaint_state_badges
from org.models import Staff
from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory

pytestmark = pytest.mark.django_db

# The state's badges as complaints/_state_badge.html wrote them (the list and the complaint page).
OLD_BADGES = (
    '<span class="badge {% if c.state == \'closed\' %}text-bg-success{% elif c.is_overdue %}text-bg-danger'
    '{% elif c.state == \'received\' %}text-bg-warning{% else %}text-bg-primary{% endif %}">{{ c.get_state_display }}'
    '</span>{% if c.is_crisis %} <span class="badge text-bg-danger"><i class="bi bi-exclamation-octagon"></i> '
    '{% translate "crisis" %}</span>{% endif %}{% if c.is_overdue %} <span class="badge text-bg-danger">'
    '{% translate "overdue" %}</span>{% endif %}\n'
)
# The rows as _call_table.html and index.html (with _state_badge.html) wrote them, from model instances.
OLD_CALL_ROW = Template(
    '{% load i18n %}{% for call in rows %}\n    <tr>\n      <td>{{ call.customer }}</td><td>{{ call.customer.mobile }}'
    "</td><td>{{ call.order.vehicle }}</td><td>{{ call.order.number }}</td>\n"
    '      <td>{{ call.delivered_at|date:"SHORT_DATE_FORMAT" }}</td><td>{{ call.advisor|default_if_none:"" }}</td>'
    "<td>{{ call.attempts }}</td>\n"
    '      <td>{{ call.next_attempt_at|date:"SHORT_DATETIME_FORMAT" }}</td>\n'
    '      <td><a class="btn btn-sm btn-primary" href="{% url \'complaints:call\' call.pk %}">'
    '<i class="bi bi-telephone"></i> {% translate "Call" %}</a></td>\n    </tr>\n  {% endfor %}'
)
OLD_COMPLAINT_ROW = Template(
    "{% load i18n %}{% for c in rows %}\n        <tr>\n"
    "          <td><a href=\"{% url 'complaints:detail' c.pk %}\">{{ c.number }}</a></td>\n"
    '          <td>{{ c.received_at|date:"SHORT_DATETIME_FORMAT" }}</td>\n'
    "          <td>{{ c.customer }}{% if c.vehicle %} · {{ c.vehicle }}{% endif %}</td>\n"
    "          <td>{{ c.subject }}</td>\n          <td>{{ c.severity }}</td>\n"
    "          <td>" + OLD_BADGES + "</td>\n"
    "          <td>{{ c.owner }}</td>\n"
    '          <td>{{ c.resolution_due|date:"SHORT_DATETIME_FORMAT" }}</td>\n        </tr>\n      {% endfor %}'
)


def _calls(station, make_staff, n: int, *, offset=0) -> list[FollowUpCall]:
    """n open calls overdue, n due today, n next week, on different customers, vehicles and advisors (some advisors
    without a display name, one call without an advisor, one vehicle without a plate, names to escape)."""
    now = timezone.now()
    calls = []
    for i in range(n):
        advisor = make_staff("service_advisor", username=f"sa{offset + i}", display_name="" if i % 2 else f"顾问{i}",
                             first_name="Li" if i % 3 == 1 else "", last_name="Ming" if i % 3 == 1 else "")
        customer = CustomerFactory(station=station, name=f"<b>Kunde & {offset + i}</b>")
        vehicle = VehicleFactory(station=station, owner=customer, plate="" if i == 1 else f"沪A{offset + i:05d}")
        for days in (-3, 0, 3):
            order = WorkOrderFactory(delivered=True, station=station, customer=customer, advisor=advisor,
                                     vehicle=VehicleFactory(station=station, owner=customer) if days else vehicle)
            call = followup_create_for_order(order=order)
            when = timezone.localtime(now).replace(hour=23, minute=0) if days == 0 else now + timedelta(days=days)
            FollowUpCall.objects.filter(pk=call.pk).update(next_attempt_at=when, attempts=i % 3,
                                                           advisor=None if i == 2 else advisor)
            calls.append(call)
    return calls


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_call_rows_print_what_the_row_template_printed(station, make_staff, care, language):
    _calls(station, make_staff, 4)
    queue = selectors.call_queue(care, station_ids=[station.pk])
    with translation.override(language):
        for section in ("overdue", "today", "upcoming"):
            assert len(queue[section]) == 4
            instances = {c.pk: c for c in FollowUpCall.objects.filter(pk__in=[r["pk"] for r in queue[section]])}
            old = OLD_CALL_ROW.render(Context({"rows": [instances[r["pk"]] for r in queue[section]]}))
            assert "".join(call_rows(queue[section])) == old
            assert "&lt;b&gt;Kunde &amp; 0&lt;/b&gt;" in old and "None" not in old and "Li Ming" in old


@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_complaint_rows_print_what_the_row_template_printed(station, alice, make_staff, new_complaint, language):
    customer = CustomerFactory(station=station, name="<i>Wang & Co</i>")
    no_plate = VehicleFactory(station=station, owner=customer, plate="")
    owners = [alice, make_staff("customer_relations", username="nodisplay", display_name=""),
              make_staff("customer_relations", username="fullname", display_name="", first_name="Zhang", last_name="San")]
    made = [
        new_complaint(customer=customer, subject="a <script>", vehicle=no_plate),
        new_complaint(severity=3, subject="crisis one"),
        new_complaint(subject="overdue one", vehicle=VehicleFactory(station=station, owner=customer)),
        new_complaint(subject="closed one"),
        new_complaint(subject="analysing one"),
    ]
    now = timezone.now()
    Complaint.objects.filter(pk=made[1].pk).update(is_crisis=True, owner=owners[1])
    Complaint.objects.filter(pk=made[2].pk).update(resolution_due=now - timedelta(hours=1), owner=owners[2])
    Complaint.objects.filter(pk=made[3].pk).update(state=Complaint.State.CLOSED, resolution_due=now - timedelta(hours=1))
    Complaint.objects.filter(pk=made[4].pk).update(state=Complaint.State.ANALYSING, responded_at=now)
    listed = list(selectors.complaints_listed(selectors.complaints_visible(alice)).order_by("-received_at", "-id"))
    with translation.override(language):
        old = OLD_COMPLAINT_ROW.render(Context({"rows": list(
            selectors.complaints_visible(alice).order_by("-received_at", "-id"))}))
        assert "".join(complaint_rows(listed)) == old
        badges = Template("{% load i18n %}" + OLD_BADGES)
        for c in selectors.complaints_visible(alice):  # the complaint page shows the list's badges
            assert complaint_state_badges(c) + "\n" == badges.render(Context({"c": c}))
    assert "text-bg-success" in old and "text-bg-warning" in old and "text-bg-primary" in old
    assert "bi-exclamation-octagon" in old and "Zhang San" in old and "nodisplay" in old


def test_a_staff_name_from_a_row_is_the_staffs_str(make_staff):
    for kwargs in ({"display_name": "顾问"}, {"display_name": "", "first_name": "Li", "last_name": ""},
                   {"display_name": "", "first_name": "", "last_name": ""}):
        person = make_staff("service_advisor", **kwargs)
        assert Staff.name_from(person.display_name, person.first_name, person.last_name, person.username) == str(person)


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_the_call_queue_reads_as_many_queries_for_10_rows_as_for_1(client_as, station, make_staff, care):
    client = client_as(care)
    url = reverse("complaints:calls")
    _calls(station, make_staff, 1)
    _count(client, url)  # the session, the person and the settings read once
    one = _count(client, url)
    _calls(station, make_staff, 9, offset=10)
    assert len(client.get(url).context["queue"]["upcoming"]) == 10
    assert _count(client, url) == one


def test_the_complaints_list_reads_as_many_queries_for_10_rows_as_for_1(client_as, station, alice, make_staff,
                                                                          new_complaint):
    client = client_as(alice)
    url = reverse("complaints:index")
    new_complaint(vehicle=VehicleFactory(station=station))
    _count(client, url)
    one = _count(client, url)
    for i in range(9):
        c = new_complaint(vehicle=VehicleFactory(station=station) if i % 2 else None, subject=f"c{i}")
        owner = make_staff("customer_relations", username=f"owner{i}", display_name="")
        Complaint.objects.filter(pk=c.pk).update(owner=owner)
    assert _count(client, url) == one
    assert client.get(url).content.decode().count('href="/complaints/') >= 10
