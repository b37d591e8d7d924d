import pytest

from complaints.tests.factories import make_customer, make_order


@pytest.fixture
def frank(alice):
    return alice.reports_to


@pytest.fixture
def director(station):
    from org.tests.factories import StaffFactory

    return StaffFactory(position="group_director", username="dora", station=None, group=station.group)


@pytest.fixture
def care(make_staff, carol):
    return make_staff("customer_relations", username="cora", reports_to=carol)


@pytest.fixture
def customer(station):
    return make_customer(station)


@pytest.fixture
def delivered_order(station, alice, customer):
    return make_order(station, alice, customer=customer)


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
