"""The one place tests and benches build customer care's rows as history: complaints and follow-up calls at given
moments. A complaint in a test of the flow is opened through ``complaints.services.complaints.complaint_create``.
Customers, vehicles and orders are reception's (``reception.factories``; ``WorkOrderFactory(delivered=True)``)."""

from __future__ import annotations

from datetime import timedelta

import factory
from django.utils import timezone

from complaints.models import Complaint, FollowUpCall, RetentionCall
from org.factories import StaffFactory, StationFactory
from reception.factories import CustomerFactory, WorkOrderFactory


class ComplaintFactory(factory.django.DjangoModelFactory):
    """A phone complaint about time, received now, due for a response in four hours and resolution in three days."""

    class Meta:
        model = Complaint

    station = factory.SubFactory(StationFactory)
    number = factory.Sequence(lambda n: f"TS-{n}")
    source = "phone"
    category = "time"
    customer = factory.SubFactory(CustomerFactory, station=factory.SelfAttribute("..station"))
    subject = factory.Sequence(lambda n: f"投诉{n}")
    description = "太慢"
    owner = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="customer_relations")
    received_by = factory.SelfAttribute("owner")
    received_at = factory.LazyFunction(timezone.now)
    response_due = factory.LazyAttribute(lambda o: o.received_at + timedelta(hours=4))
    resolution_due = factory.LazyAttribute(lambda o: o.received_at + timedelta(days=3))


class FollowUpCallFactory(factory.django.DjangoModelFactory):
    """The follow-up call of a delivered order, due three days after delivery, expiring after fifteen."""

    class Meta:
        model = FollowUpCall

    order = factory.SubFactory(WorkOrderFactory, delivered=True)
    station = factory.SelfAttribute("order.station")
    customer = factory.SelfAttribute("order.customer")
    advisor = factory.SelfAttribute("order.advisor")
    delivered_at = factory.SelfAttribute("order.delivered_at")
    due_at = factory.LazyAttribute(lambda o: o.delivered_at + timedelta(days=3))
    next_attempt_at = factory.SelfAttribute("due_at")
    expires_at = factory.LazyAttribute(lambda o: o.delivered_at + timedelta(days=15))


class RetentionCallFactory(factory.django.DjangoModelFactory):
    """A win-back call's outcome at a given moment (``at=``, stamped on insert, so set after), as history. A call in a
    test of the flow is recorded through ``complaints.services.retention.retention_call_record``."""

    class Meta:
        model = RetentionCall
        skip_postgeneration_save = True

    customer = factory.SubFactory(CustomerFactory)
    station = factory.SelfAttribute("customer.station")
    kind = RetentionCall.Kind.WIN_BACK
    outcome = RetentionCall.Outcome.WILL_COME
    by = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="customer_relations")

    @factory.post_generation
    def at(obj, create, extracted, **kwargs):
        if create and extracted:
            RetentionCall.objects.filter(pk=obj.pk).update(at=extracted)
            obj.at = extracted
