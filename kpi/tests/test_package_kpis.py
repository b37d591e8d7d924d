"""A line paid by a prepaid package counts once in the sales figures, as the books count it: the customer's sale at
the use's value, not an internal sale at the line's amount (``kpi.sources.settlement.package_uses``). Hand-computed."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal

from django.utils import timezone

from kpi.drill import records
from kpi.factories import at, make_order
from kpi.registry import KPIS, Totals
from kpi.selectors import Period
from kpi.services.collect import collect
from reception.models import WorkOrder
from settlement.services.counter_sales import counter_line_package_add, counter_sale_confirm, counter_sale_create
from settlement.services.packages import package_use

D = Decimal
D1 = date(2026, 3, 2)


def test_a_line_paid_by_a_package_is_the_customers_sale_at_the_uses_value(station, alice, make_staff):
    lead = make_staff("parts_lead", username="larry")
    # delivered on 03-02: labour 1.5 h × 300.00 = 450.00 paid by a package (999.00 ÷ 3 = 333.00 a service),
    # and 2 filters × 68.00 = 136.00 for the customer
    order = make_order(station=station, advisor=alice, opened="2026-03-02 08:00", lines=[
        {"kind": "labour", "hours": "1.5", "unit_price": "300.00"},
        {"kind": "part", "quantity": "2", "unit_price": "68.00"},
    ])
    sale = counter_sale_create(station=station, by=lead, customer=order.customer)
    counter_line_package_add(sale=sale, by=lead, name="保养3次", uses_total=3, price=D("999.00"),
                             valid_until=timezone.localdate() + timedelta(days=365))
    sale = counter_sale_confirm(sale=sale, by=lead)
    package_use(sale=sale.lines.get().package_sale, line=order.lines.get(kind="labour"), by=alice)
    WorkOrder.objects.filter(pk=order.pk).update(status=WorkOrder.Status.DELIVERED,
                                                 delivered_at=at("2026-03-02 17:00"))

    facts = collect(station_ids=[station.pk], start=D1, end=D1)[("station", station.pk, 0, D1)]
    t = Totals({k: v for k, v in facts.items()})
    assert t.get("sales_customer") == D("469.00")        # 136.00 + 333.00
    assert not t.get("sales_internal")                   # 450.00 counted by the line, taken back
    assert t.get("sales_labour") == D("333.00")          # the use's value, not 450.00
    assert t.get("sales_parts") == D("136.00")
    assert t.get("labour_customer") == D("333.00") and not t.get("labour_internal")
    assert t.get("hours_customer") == D("1.5") and not t.get("hours_internal")
    assert t.get("hours_sold") == D("1.5")               # the work was done: hours stay
    assert KPIS["revenue"].value(t) == D("469.00")       # 333.00 + 136.00, once
    assert not KPIS["revenue_internal"].value(t)

    # the drill-down adds up to the figure: the order (450.00 + 136.00), then the package row (333.00 − 450.00)
    drill = records(KPIS["revenue"], [station.pk], Period("custom", D1, D1))
    assert [row[6:9] for row in drill.rows] == [[D("450.00"), D("136.00"), D("0")],
                                                [D("-117.00"), D("0"), D("0")]]
