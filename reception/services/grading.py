"""Customer grading (VIP / regular / at risk / lost) by the station's rules, one customer or a station in bulk.

One SQL statement does both: an aggregate of each customer's delivered orders (last visit, visits and customer-paid
spend in the window) joined into ``UPDATE reception_customer``, so regrading 200,000 customers is one pass over the
station's orders and no query per customer. A customer who never came counts from the day the file was opened.
"""

from __future__ import annotations

import calendar
from datetime import datetime

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from core.errors import DomainError
from org.models import Staff, Station
from reception.models import Customer, GradingRules

RULE_FIELDS = ["window_months", "vip_visits", "vip_spend", "at_risk_months", "lost_months"]

_SQL = """
WITH agg AS (
    SELECT c.id,
           COALESCE(MAX(o.delivered_at), c.created_at) AS last_seen,
           COUNT(DISTINCT o.id) FILTER (WHERE o.delivered_at >= %(window_start)s) AS visits,
           COALESCE(SUM(l.quantity * l.unit_price * (100 - l.discount_pct) / 100)
                    FILTER (WHERE o.delivered_at >= %(window_start)s AND l.payer = 'customer'
                            AND l.approval <> 'declined'), 0) AS spend
      FROM reception_customer c
      LEFT JOIN reception_workorder o ON o.customer_id = c.id AND o.status = 'delivered'
      LEFT JOIN reception_workorderline l ON l.order_id = o.id
     WHERE c.station_id = %(station)s {only}
     GROUP BY c.id, c.created_at
)
UPDATE reception_customer AS c
   SET grade = CASE
           WHEN agg.last_seen <= %(lost_before)s THEN 'lost'
           WHEN agg.last_seen <= %(at_risk_before)s THEN 'at_risk'
           WHEN agg.visits >= %(vip_visits)s OR agg.spend >= %(vip_spend)s THEN 'vip'
           ELSE 'regular' END,
       graded_at = %(now)s
  FROM agg
 WHERE c.id = agg.id
"""


def grading_rules(station: Station) -> GradingRules:
    """The station's rules (unsaved defaults when it has none)."""
    return GradingRules.objects.filter(station=station).first() or GradingRules(station=station)


def _months_before(moment: datetime, months: int) -> datetime:
    year, month = divmod(moment.year * 12 + moment.month - 1 - months, 12)
    day = min(moment.day, calendar.monthrange(year, month + 1)[1])
    return moment.replace(year=year, month=month + 1, day=day)


def _regrade(*, station: Station, customer_id: int | None, now: datetime | None) -> int:
    now = now or timezone.now()
    rules = grading_rules(station)
    params = {
        "station": station.pk, "now": now, "window_start": _months_before(now, rules.window_months),
        "lost_before": _months_before(now, rules.lost_months), "at_risk_before": _months_before(now, rules.at_risk_months),
        "vip_visits": rules.vip_visits, "vip_spend": rules.vip_spend, "customer": customer_id,
    }
    only = "AND c.id = %(customer)s" if customer_id is not None else ""
    with connection.cursor() as cursor:
        cursor.execute(_SQL.format(only=only), params)
        return cursor.rowcount


@transaction.atomic
def customer_grade(*, customer: Customer, now: datetime | None = None) -> str:
    """Grade one customer now by their station's rules; returns the grade."""
    _regrade(station=customer.station, customer_id=customer.pk, now=now)
    customer.refresh_from_db(fields=["grade", "graded_at"])
    return customer.grade


@transaction.atomic
def customers_regrade(*, station: Station, now: datetime | None = None) -> int:
    """Regrade every customer of the station in one statement; returns how many were graded."""
    return _regrade(station=station, customer_id=None, now=now)


@transaction.atomic
def grading_rules_update(*, station: Station, by: Staff, **values) -> GradingRules:
    unknown = set(values) - set(RULE_FIELDS)
    if unknown:
        raise ValueError(f"unknown rules: {sorted(unknown)}")
    row, _created = GradingRules.objects.select_for_update().get_or_create(station=station)
    for name, value in values.items():
        setattr(row, name, value)
    if row.at_risk_months >= row.lost_months:
        raise DomainError(_("A customer must be at risk before being lost: choose fewer months for at risk."),
                          field="at_risk_months")
    row.save()
    return row
