import pytest

from reception.factories import CustomerFactory, VehicleFactory, WorkOrderFactory


@pytest.fixture
def frank(alice):
    return alice.reports_to


@pytest.fixture
def director(station):
    from org.factories import StaffFactory

    return StaffFactory(position="group_director", username="dora", station=None, group=station.group)


@pytest.fixture
def care(make_staff, carol):
    return make_staff("customer_relations", username="cora", reports_to=carol)


@pytest.fixture
def customer(station):
    return CustomerFactory(station=station)


@pytest.fixture
def delivered_order(station, alice, customer):
    return WorkOrderFactory(delivered=True, station=station, advisor=alice, customer=customer,
                            vehicle=VehicleFactory(station=station, owner=customer))


@pytest.fixture
def new_complaint(station, alice, customer):
    from complaints.services.complaints import complaint_create

    def make(**kw):
        fields = {
            "by": alice, "station": station, "customer": customer, "source": "phone", "category": "quality",
            "severity": 1, "subject": "Noise after repair", "description": "The rattle is back.",
        }
        fields.update(kw)
        return complaint_create(**fields)

    return make
