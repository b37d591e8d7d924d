from django.apps import apps
from django.core.management import call_command

from core.project import app_labels
from org.models import Staff

LOGINS = ["manager", "frontlead", "advisor", "advisor2", "reception", "dispatcher", "tech1", "tech2", "tech3", "qc",
          "techlead", "partslead", "parts", "warranty", "cashier", "care", "info", "manager2", "director"]


def _counts():
    return {m._meta.label: m.objects.count() for m in apps.get_models() if m._meta.app_label in app_labels()}


def test_seed_demo_creates_every_login_and_is_idempotent(db):
    call_command("seed_demo", verbosity=0)
    for login in LOGINS:
        person = Staff.objects.get(username=login)
        assert person.check_password("demo-pass-2026"), login
    first = _counts()
    call_command("seed_demo", verbosity=0)
    assert _counts() == first
    # The hierarchy reaches the manager (checked on the same data: a full seed takes a while).
    tech = Staff.objects.get(username="tech1")
    assert tech.reports_to.username == "dispatcher"
    assert tech.reports_to.reports_to.username == "manager"
    assert Staff.objects.get(username="manager2").station.code == "hz-xihu"
    # Orders ready for settlement had their parts issued through the counter: the reconciliation has nothing open
    # for the parts that came from stock (unless the shelf really is empty), and the stock moves carry the order line.
    from parts.models import StockBalance, StockMove
    from reception.models import WorkOrder
    from settlement.services.reconcile import reconcile

    ready = WorkOrder.objects.filter(status="ready", lines__kind="part", lines__demand__filled_from_stock=True).distinct()
    assert ready.exists()
    for order in ready:
        stocked = [p for p in reconcile(order=order).parts if p.line.demand.filled_from_stock]
        for check in stocked:
            free = sum(b.on_hand - b.reserved for b in StockBalance.objects.filter(part=check.line.part))
            assert check.matches or free < check.line_quantity - check.issued_quantity, order.number
    assert StockMove.objects.filter(kind="issue", line__order__in=ready).exists()
