"""The one place tests and benches build the workshop's rows: bays, attendance, assignments, clock entries, findings. Orders and their
lines are reception's (``reception.factories``: ``WorkOrderFactory(signed=True)`` is an order the workshop has, and
``WorkOrderLineFactory(labour=True)`` a labour line)."""

from __future__ import annotations

from decimal import Decimal

import factory
from django.utils import timezone

from org.factories import StaffFactory, StationFactory
from reception.factories import WorkOrderFactory, WorkOrderLineFactory
from workshop.models import Attendance, Bay, ClockEntry, Finding, JobAssignment


class BayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Bay
        django_get_or_create = ("station", "code")

    station = factory.SubFactory(StationFactory)
    code = factory.Sequence(lambda n: f"B{n:02d}")
    name = factory.Sequence(lambda n: f"工位{n}")


class AttendanceFactory(factory.django.DjangoModelFactory):
    """A technician's planned day (the roster)."""

    class Meta:
        model = Attendance

    technician = factory.SubFactory(StaffFactory, position="technician")
    station = factory.SelfAttribute("technician.station")
    day = factory.LazyFunction(lambda: timezone.localdate())
    planned_hours = Decimal("8")


class ClockEntryFactory(factory.django.DjangoModelFactory):
    """Time booked on a labour line, written as history (live clocking goes through ``workshop.services.clock``)."""

    class Meta:
        model = ClockEntry

    line = factory.SubFactory(WorkOrderLineFactory, labour=True)
    order = factory.SelfAttribute("line.order")
    station = factory.SelfAttribute("order.station")
    technician = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="technician")
    started_at = factory.LazyFunction(timezone.now)


class JobAssignmentFactory(factory.django.DjangoModelFactory):
    """A labour line given to a technician in a bay (the workshop lead's dispatch goes through
    ``workshop.services.dispatch.job_dispatch``; this is the row alone)."""

    class Meta:
        model = JobAssignment

    line = factory.SubFactory(WorkOrderLineFactory, labour=True)
    order = factory.SelfAttribute("line.order")
    station = factory.SelfAttribute("order.station")
    technician = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="technician")
    bay = factory.SubFactory(BayFactory, station=factory.SelfAttribute("..station"))
    assigned_by = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="workshop_lead")


class FindingFactory(factory.django.DjangoModelFactory):
    """Something a technician found on the car, awaiting the customer's decision."""

    class Meta:
        model = Finding

    order = factory.SubFactory(WorkOrderFactory, signed=True)
    station = factory.SelfAttribute("order.station")
    vehicle = factory.SelfAttribute("order.vehicle")
    description = "刹车片磨损"
    found_by = factory.SubFactory(StaffFactory, station=factory.SelfAttribute("..station"), position="technician")
