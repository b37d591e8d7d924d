"""Service packages and coupons in the demo (issue 19 item 8), through the services: each station sells oil-service
packages to customers who have an order still open (through the counter: a counter sale with the package line,
paid at the cashier), uses one service of each on that order's first customer-pay
labour line, issues a few coupons and redeems one. A station that already has packages is left alone."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.db import transaction
from django.utils import timezone

from core.errors import DomainError
from demo.base import DemoContext
from reception.models import WorkOrder, WorkOrderLine
from reception.services.orders import EDITABLE
from settlement.models import PackageSale
from settlement.services.counter_sales import counter_payment_record, package_sell
from settlement.services.packages import coupon_issue, coupon_redeem, package_use

PACKAGES = [("机油保养3次套餐", 3, Decimal("999.00")), ("保养无忧5次套餐", 5, Decimal("1888.00"))]


@transaction.atomic
def seed_packages(ctx: DemoContext) -> None:
    today = timezone.localdate()
    for station in ctx.stations:
        if PackageSale.objects.filter(station=station).exists():
            continue
        advisor = ctx.first(station, "service_advisor")
        cashier = ctx.first(station, "cashier", "service_advisor")
        lines = (WorkOrderLine.objects.filter(order__station=station, order__status__in=EDITABLE, payer="customer",
                                              kind="labour", approval="approved")
                 .select_related("order").order_by("order_id", "pk"))
        seen: set[int] = set()
        for line in lines[:40]:
            if line.order_id in seen or len(seen) >= 4:
                continue
            seen.add(line.order_id)
            name, uses, price = PACKAGES[len(seen) % 2]
            sale = package_sell(station=station, customer=line.order.customer, vehicle=line.order.vehicle,
                                by=advisor, name=name, uses_total=uses, price=price,
                                valid_until=today + timedelta(days=365))
            counter = sale.counter_line.sale
            counter_payment_record(sale=counter, by=cashier, method="wechat", amount=counter.gross)
            package_use(sale=sale, line=line, by=advisor)
        for code, kind, value, min_spend in [("NEW100", "amount", Decimal("100"), Decimal("800")),
                                             ("LABOUR5", "percent", Decimal("5"), Decimal("0"))]:
            coupon_issue(station=station, by=advisor, code=code, kind=kind, value=value, min_spend=min_spend,
                         valid_from=today - timedelta(days=30), valid_until=today + timedelta(days=60),
                         line_kinds="labour" if kind == "percent" else "")
        order = (WorkOrder.objects.filter(station=station, status__in=EDITABLE).exclude(pk__in=seen)
                 .order_by("pk").first())
        if order is not None:
            try:
                coupon_redeem(code="LABOUR5", order=order, by=advisor)
            except DomainError:
                pass  # an order without a customer-pay labour line: the coupon stays unused
