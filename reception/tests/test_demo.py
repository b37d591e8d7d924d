from reception import demo
from reception.models import Appointment, Customer, LabourOperation, Vehicle, WorkOrder, WorkOrderEvent
from reception.services.validation import is_valid_plate, vin_problem


def _counts():
    return [m.objects.count() for m in (LabourOperation, Customer, Vehicle, WorkOrder, WorkOrderEvent, Appointment)]


def test_the_demo_is_valid_and_idempotent(db, monkeypatch):
    from org.demo import seed_organisation

    monkeypatch.setattr(demo, "DAYS", 7)
    ctx = seed_organisation()
    demo.seed(ctx)
    first = _counts()
    assert LabourOperation.objects.filter(station=ctx.stations[0]).count() >= 150
    assert Customer.objects.filter(station=ctx.stations[0]).count() == 300
    assert Vehicle.objects.filter(station=ctx.stations[0]).count() == 400
    assert all(vin_problem(vin) is None for vin in Vehicle.objects.values_list("vin", flat=True))
    assert all(is_valid_plate(p) for p in Vehicle.objects.values_list("plate", flat=True))
    assert set(WorkOrder.objects.values_list("status", flat=True)) == set(WorkOrder.Status.values)
    demo.seed(ctx)
    assert _counts() == first
