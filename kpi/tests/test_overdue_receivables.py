"""Overdue receivables (逾期应收账款占比): the day-end snapshot of open statements, hand-computed."""

from datetime import date
from decimal import Decimal

from kpi.factories import at
from kpi.models import StationDay
from kpi.registry import KPIS, Totals
from kpi.services.rollup import rollup_days
from settlement.factories import PaymentFactory, StatementFactory

D1 = date(2026, 3, 2)


def test_overdue_share_of_open_receivables_at_the_days_end(station, other_station, carol):
    def st(due, issued, payer="warranty", where=station):
        return StatementFactory(station=where, order__station=where, payer=payer, due=Decimal(due), issued_by=carol,
                                issued_at=at(issued))

    st("1000.00", "2026-01-20 10:00")  # 41 days old on D1: overdue
    st("500.00", "2026-02-25 10:00")  # 5 days: open, not overdue
    st("700.00", "2026-03-03 09:00")  # issued after D1: not yet owed
    paid = st("300.00", "2026-01-01 10:00", payer="customer")
    PaymentFactory(statement=paid, amount=Decimal("300.00"), received_at=at("2026-02-01 10:00"))  # paid before D1
    later = st("200.00", "2026-01-10 10:00", payer="insurance")
    PaymentFactory(statement=later, amount=Decimal("200.00"), received_at=at("2026-03-05 10:00"))  # still open on D1
    st("999.00", "2026-01-01 10:00", where=other_station)  # another station's
    rollup_days(start=D1, end=D1)
    fact = StationDay.objects.get(station=station, day=D1)
    assert fact.receivables_open == Decimal("1700.00")  # 1,000 + 500 + 200
    assert fact.receivables_overdue == Decimal("1200.00")  # 1,000 + 200
    totals = Totals({"receivables_open": fact.receivables_open, "receivables_overdue": fact.receivables_overdue})
    assert KPIS["overdue_receivables"].value(totals) == Decimal("1200") / Decimal("1700")
    assert KPIS["overdue_receivables"].value(Totals()) is None  # nothing open: "—", not 0
