"""The order tables' rows, written in Python (reception_tables.order_rows), print what the row template printed."""

import pytest
from django.template import Context, Template
from django.utils import translation

from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory
from reception.models import WorkOrder
from reception.templatetags.reception_tables import order_rows

# The row template the tag replaces, as it was (the reference).
OLD_ROWS = Template(
    "{% for o in orders %}<tr><td><a href=\"{% url 'reception:order_detail' o.pk %}\">{{ o.number }}</a></td>"
    '<td>{{ o.opened_at|date:"SHORT_DATETIME_FORMAT" }}</td><td>{{ o.vehicle }}</td><td>{{ o.customer.name }}</td>'
    '<td>{{ o.advisor }}</td><td><span class="badge text-bg-secondary status-{{ o.status }}">'
    "{{ o.get_status_display }}</span></td></tr>\n{% endfor %}"
)


@pytest.mark.django_db
@pytest.mark.parametrize("language", ["en", "zh-hans"])
def test_the_rows_are_what_the_row_template_printed(station, language):
    customer = CustomerFactory(station=station, name="<b>Wang & Co</b>")
    WorkOrderFactory(station=station, vehicle=VehicleFactory(station=station, owner=customer, plate=""))
    WorkOrderFactory(station=station, delivered=True)
    WorkOrderFactory(station=station, signed=True)
    orders = list(WorkOrder.objects.select_related("customer", "vehicle", "advisor").order_by("pk"))
    with translation.override(language):
        old = OLD_ROWS.render(Context({"orders": orders}))
        assert order_rows(orders) + "\n" == old
    assert "&lt;b&gt;Wang &amp; Co&lt;/b&gt;" in old and old.count("<tr>") == 3


def test_no_orders_no_rows():
    assert order_rows([]) == ""
