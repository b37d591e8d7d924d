from org.tests.access import GROUP_POSITIONS, Row

VIEW = frozenset(
    {
        "station_manager", "front_desk_lead", "service_advisor", "workshop_lead", "technician", "qc_inspector",
        "technical_lead", "parts_lead",
    }
) | GROUP_POSITIONS
DISPATCH = frozenset({"station_manager", "workshop_lead"})
CLOCK = frozenset({"technician"})
QC = frozenset({"station_manager", "workshop_lead", "qc_inspector", "technical_lead"})
COMEBACK = frozenset({"station_manager", "front_desk_lead", "service_advisor", "workshop_lead", "qc_inspector", "technical_lead"})
DESK_EDIT = frozenset({"station_manager", "front_desk_lead", "service_advisor", "receptionist"})

SETUP = frozenset({"station_manager", "group_director"})

ROWS = {
    # set-up: the station's bays (a step of the /setup/ checklist)
    "workshop:bays": Row(allowed=SETUP),
    "workshop:bay_edit": Row(other_station=404, allowed=SETUP, kwargs=lambda w: {"pk": w.ws_bay.pk}),
    "workshop:index": Row(allowed=VIEW),
    "workshop:board": Row(allowed=VIEW),
    "workshop:dispatch": Row(allowed=DISPATCH),
    "workshop:dispatch_line": Row(other_station=404, allowed=DISPATCH, kwargs=lambda w: {"pk": w.ws_line.pk}),
    "workshop:dispatch_order": Row(other_station=404, allowed=DISPATCH, kwargs=lambda w: {"pk": w.ws_order.pk}),
    # Without a reason nothing is recorded: the error comes back as a message, redirected back.
    "workshop:part_not_needed": Row(other_station=404, allowed=DISPATCH, status=302, method="post",
                                    kwargs=lambda w: {"pk": w.ws_part_line.pk}),
    # An open order cannot go to QC: refused with a message, redirected back.
    "workshop:send_to_qc": Row(other_station=404, allowed=DISPATCH, status=302, method="post",
                               kwargs=lambda w: {"pk": w.ws_order.pk}),
    "workshop:roster": Row(allowed=VIEW, query="?week=2026-11-24"),
    # The cell's edit form (a whole week page without htmx) for tomorrow, a day that may still be planned.
    "workshop:roster_cell": Row(other_station=404, allowed=DISPATCH, kwargs=lambda w: {"pk": w.staff["technician"].pk,
                                                                                       "day": _tomorrow()}),
    "workshop:roster_copy": Row(allowed=DISPATCH, status=302, method="post", data=lambda w: {"week": _tomorrow()}),
    "workshop:my_jobs": Row(allowed=CLOCK),
    "workshop:shift": Row(allowed=CLOCK, status=302, method="post", data=lambda w: {"action": "start"}),
    "workshop:clock": Row(
        other_station=404, allowed=CLOCK, status=302, method="post", kwargs=lambda w: {"pk": w.ws_line.pk},
        data=lambda w: {"action": "x"},
    ),
    "workshop:finding_create": Row(other_station=404, allowed=CLOCK, kwargs=lambda w: {"pk": w.ws_line.pk}),
    "workshop:finding_pick_operations": Row(other_station=404, allowed=CLOCK, query="?q=保养",
                                            kwargs=lambda w: {"pk": w.ws_line.pk}),
    "workshop:finding_pick_parts": Row(other_station=404, allowed=CLOCK, query="?q=04152",
                                       kwargs=lambda w: {"pk": w.ws_line.pk}),
    "workshop:parts_request": Row(other_station=404, allowed=CLOCK, status=302, method="post",
                                  kwargs=lambda w: {"pk": w.ws_part_line.pk}),
    "workshop:findings": Row(allowed=DESK_EDIT),
    # Without a decision in the data nothing is recorded; the findings page comes back with the error in the row (400).
    "workshop:finding_decide": Row(other_station=404, allowed=DESK_EDIT, status=400, method="post",
                                   kwargs=lambda w: {"pk": w.ws_finding.pk}),
    # core.files' one serving view for every private file (a finding photo here); anonymous users get a logged 404
    # (core/tests/test_private_files.py), hence public=True
    "private_file": Row(other_station=404, allowed=VIEW, public=True,
                        kwargs=lambda w: {"kind": "finding-photo", "pk": w.ws_photo.pk}),
    "workshop:qc": Row(allowed=QC),
    "workshop:qc_report": Row(allowed=QC),
    "workshop:qc_order": Row(other_station=404, allowed=QC, kwargs=lambda w: {"pk": w.ws_qc_order.pk}),
    "workshop:comebacks": Row(allowed=COMEBACK),
    "workshop:comeback_link": Row(other_station=404, allowed=COMEBACK, kwargs=lambda w: {"pk": w.ws_order.pk}),
    "workshop:comeback_dismiss": Row(other_station=404, allowed=COMEBACK, status=302, method="post",
                                     kwargs=lambda w: {"pk": w.ws_order.pk}),
}


def _tomorrow() -> str:
    from datetime import timedelta

    from django.utils import timezone

    return (timezone.localdate() + timedelta(days=1)).isoformat()


def setup(world):
    from datetime import timedelta

    from django.core.files.base import ContentFile
    from django.utils import timezone

    from org.factories import RegionFactory
    from reception.factories import WorkOrderFactory, WorkOrderLineFactory
    from reception.models import WorkOrder, WorkOrderLine
    from workshop.factories import BayFactory, FindingFactory, JobAssignmentFactory
    from workshop.models import FindingPhoto

    # The regional manager sees the stations of their region: give the test station one.
    if world.station.region_id is None:
        world.station.region = RegionFactory(group=world.station.group, name="acl-region")
        world.station.save(update_fields=["region"])
    regional = world.staff["regional_manager"]
    if regional.region_id is None:
        regional.region = world.station.region
        regional.save(update_fields=["region"])

    advisor = world.staff["service_advisor"]
    tech = world.staff["technician"]
    order = WorkOrderFactory(signed=True, station=world.station, advisor=advisor, number="ACL-WS-1")
    world.ws_order = order
    world.ws_line = WorkOrderLineFactory(labour=True, order=order)
    world.ws_part_line = WorkOrderLineFactory(labour=True, order=order, kind=WorkOrderLine.Kind.PART,
                                              description="机油滤清器")
    bay = BayFactory(station=world.station, code="ACL1")
    world.ws_bay = bay
    JobAssignmentFactory(
        station=world.station, order=order, line=world.ws_line, technician=tech, bay=bay, assigned_by=world.manager
    )
    world.ws_finding = FindingFactory(
        station=world.station, order=order, vehicle=order.vehicle, description="刹车片磨损", found_by=tech
    )
    world.ws_photo = FindingPhoto.objects.create(finding=world.ws_finding,
                                                 image=ContentFile(b"\x89PNG\r\n\x1a\n", name="photo.png"))
    world.ws_qc_order = WorkOrderFactory(
        signed=True, station=world.station, advisor=advisor, number="ACL-WS-2", status=WorkOrder.Status.QUALITY_CHECK
    )
    earlier = WorkOrderFactory(
        signed=True, station=world.station, advisor=advisor, number="ACL-WS-0", vehicle=order.vehicle,
        customer=order.customer,
        status=WorkOrder.Status.DELIVERED,
    )
    WorkOrder.objects.filter(pk=earlier.pk).update(
        delivered_at=timezone.now() - timedelta(days=5), opened_at=timezone.now() - timedelta(days=6)
    )
