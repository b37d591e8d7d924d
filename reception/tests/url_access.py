"""Who may open which front-desk URL (hand-written from the job descriptions, not derived from the map)."""

from org.tests.access import GROUP_POSITIONS, Row

VIEW = frozenset({
    "station_manager", "front_desk_lead", "service_advisor", "receptionist", "workshop_lead", "qc_inspector",
    "technical_lead", "parts_lead", "parts_clerk", "warranty_clerk", "cashier", "customer_relations",
    "information_specialist",
}) | GROUP_POSITIONS
EDIT = frozenset({"station_manager", "front_desk_lead", "service_advisor", "receptionist"})
APPROVE = frozenset({"station_manager", "front_desk_lead", "service_advisor"}) | GROUP_POSITIONS
CATALOGUE = frozenset({"station_manager", "workshop_lead", "technical_lead"})
SETUP = frozenset({"station_manager", "front_desk_lead", "group_director"})  # RECEPTION_SETUP
SANBAO = frozenset({"station_manager", "front_desk_lead"}) | GROUP_POSITIONS  # the department head's 三包 watch
BOARD = frozenset({
    "station_manager", "front_desk_lead", "service_advisor", "receptionist", "workshop_lead", "customer_relations",
    "information_specialist",
}) | GROUP_POSITIONS


def _order(w):
    return {"pk": w.order.pk}


ROWS = {
    "reception:index": Row(allowed=VIEW),
    "reception:desk_panel": Row(allowed=VIEW),
    "reception:search": Row(allowed=VIEW, query="?q=沪A"),
    "reception:pick_vehicles": Row(allowed=VIEW, query="?q=沪A"),
    "reception:pick_customers": Row(allowed=VIEW, query="?q=13"),
    "reception:pick_operations": Row(allowed=VIEW, query="?q=保养"),
    "reception:pick_parts": Row(allowed=VIEW, query="?q=04152"),
    "reception:pick_loaners": Row(allowed=VIEW, query="?q=沪L"),
    "reception:customer_list": Row(allowed=VIEW),
    "reception:customer_create": Row(allowed=EDIT),
    "reception:customer_import": Row(allowed=SETUP),  # customers with vehicles from an old DMS (core.imports)
    "reception:customer_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.customer.pk}),
    "reception:customer_edit": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.customer.pk}),
    "reception:vehicle_create": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.customer.pk}),
    "reception:vehicle_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.vehicle.pk}),
    "reception:vehicle_edit": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.vehicle.pk}),
    "reception:vehicle_mileage": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.vehicle.pk}),
    "reception:vehicle_owner": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.vehicle.pk}),
    "reception:catalogue": Row(allowed=VIEW),
    "reception:catalogue_create": Row(allowed=CATALOGUE),
    "reception:catalogue_edit": Row(other_station=404, allowed=CATALOGUE, kwargs=lambda w: {"pk": w.operation.pk}),
    "reception:catalogue_import": Row(allowed=CATALOGUE),
    "reception:appointments": Row(allowed=VIEW),
    "reception:appointment_week": Row(allowed=VIEW),
    "reception:appointment_create": Row(allowed=EDIT),
    "reception:appointment_capacity": Row(allowed=VIEW),
    "reception:appointment_edit": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.appointment.pk}),
    "reception:appointment_cancel": Row(other_station=404, allowed=EDIT, status=302, method="post",
                                        kwargs=lambda w: {"pk": w.appointment.pk}),
    "reception:appointment_receive": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.appointment2.pk}),
    "reception:welcome_board": Row(allowed=BOARD),
    "reception:welcome_board_panel": Row(allowed=BOARD),
    "reception:order_list": Row(allowed=VIEW),
    "reception:order_receive": Row(allowed=EDIT),
    "reception:order_detail": Row(other_station=404, allowed=VIEW, kwargs=_order),
    "reception:order_edit": Row(other_station=404, allowed=EDIT, kwargs=_order),
    "reception:order_lookup": Row(other_station=404, allowed=VIEW, kwargs=_order, query="?q=oil"),
    # Posts below carry no data: the order page comes back with the error at the field (400), nothing saved.
    "reception:line_add": Row(other_station=404, allowed=EDIT, status=400, method="post",
                              kwargs=lambda w: {"pk": w.order.pk, "kind": "labour"}),
    "reception:line_edit": Row(other_station=404, allowed=EDIT, kwargs=lambda w: {"pk": w.order.pk,
                                                                                  "line_pk": w.line.pk}),
    "reception:line_remove": Row(other_station=404, allowed=EDIT, status=302, method="post",
                                 kwargs=lambda w: {"pk": w.order.pk, "line_pk": 999999}),
    "reception:order_sign": Row(other_station=404, allowed=EDIT, kwargs=_order),
    "reception:order_review": Row(other_station=404, allowed=frozenset({"front_desk_lead"}), status=302,
                                  method="post", kwargs=_order),
    "reception:review_settings": Row(allowed=SETUP),
    "reception:order_approve": Row(other_station=404, allowed=EDIT, status=400, method="post", kwargs=_order),
    "reception:order_cancel": Row(other_station=404, allowed=EDIT, status=400, method="post",
                                  kwargs=_order),  # no reason given
    "reception:order_inspection": Row(other_station=404, allowed=EDIT, kwargs=_order),
    "reception:order_photo": Row(other_station=404, allowed=EDIT, status=400, method="post", kwargs=_order),
    "reception:checklist": Row(allowed=frozenset({"station_manager", "front_desk_lead", "group_director"})),
    "reception:grading_settings": Row(allowed=SETUP),
    "reception:customer_regrade": Row(other_station=404, allowed=EDIT, status=302, method="post",
                                      kwargs=lambda w: {"pk": w.customer.pk}),
    "reception:approvals": Row(allowed=APPROVE),
    "reception:approval_decide": Row(other_station=404, allowed=APPROVE, status=400, method="post",
                                      # neither approve nor decline
                                     kwargs=lambda w: {"pk": w.discount.pk}),
    # recalls and service campaigns, 三包 (issue #18)
    "reception:campaign_list": Row(allowed=VIEW),
    "reception:campaign_import": Row(allowed=SETUP),
    "reception:campaign_open_vehicles": Row(allowed=VIEW),
    "reception:order_sanbao": Row(other_station=404, allowed=EDIT, status=400, method="post", kwargs=_order),
    "reception:sanbao_watch": Row(allowed=SANBAO),
    "reception:warranty_terms": Row(allowed=SETUP),
    # loaner cars (issue 19, item 10); posts without data come back at the field (400)
    "reception:loaner_list": Row(allowed=VIEW),
    "reception:loaner_create": Row(allowed=SETUP),
    "reception:loaner_edit": Row(other_station=404, allowed=SETUP, kwargs=lambda w: {"pk": w.loaner.pk}),
    "reception:loaner_book": Row(other_station=404, allowed=EDIT, kwargs=_order),
    "reception:loaner_booking": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.loaner_booking.pk}),
    "reception:loaner_hand_out": Row(other_station=404, allowed=EDIT, status=400, method="post",
                                     kwargs=lambda w: {"pk": w.loaner_booking.pk}),
    "reception:loaner_return": Row(other_station=404, allowed=EDIT, status=400, method="post",
                                   kwargs=lambda w: {"pk": w.loaner_booking.pk}),
    "reception:loaner_free": Row(other_station=404, allowed=EDIT, status=400, method="post",
                                 kwargs=lambda w: {"pk": w.loaner_booking.pk}),
    "reception:loaner_cancel": Row(other_station=404, allowed=EDIT, status=302, method="post",
                                   kwargs=lambda w: {"pk": w.loaner_booking.pk}),
    # pick-up and delivery (issue 19, item 11)
    "reception:pickup_list": Row(allowed=VIEW),
    "reception:pickup_for_order": Row(other_station=404, allowed=EDIT, kwargs=_order),
    "reception:pickup_for_appointment": Row(other_station=404, allowed=EDIT,
                                            kwargs=lambda w: {"pk": w.appointment.pk}),
    "reception:pickup_detail": Row(other_station=404, allowed=VIEW, kwargs=lambda w: {"pk": w.pickup.pk}),
    "reception:pickup_hand_over": Row(other_station=404, allowed=EDIT, status=400, method="post",
                                      kwargs=lambda w: {"pk": w.pickup.pk}),  # not signed
    "reception:pickup_cancel": Row(other_station=404, allowed=EDIT, status=302, method="post",
                                   kwargs=lambda w: {"pk": w.pickup.pk}),
}


def setup(world):
    from reception.factories import (
        AppointmentFactory,
        CustomerFactory,
        DiscountApprovalFactory,
        LabourOperationFactory,
        LoanerBookingFactory,
        LoanerFactory,
        PickupJobFactory,
        VehicleFactory,
        WorkOrderFactory,
        WorkOrderLineFactory,
    )

    world.customer = CustomerFactory(station=world.station)
    world.vehicle = VehicleFactory(station=world.station, owner=world.customer)
    world.operation = LabourOperationFactory(station=world.station)
    world.appointment = AppointmentFactory(station=world.station, customer=world.customer, vehicle=world.vehicle,
                                           advisor=world.staff["service_advisor"])
    world.appointment2 = AppointmentFactory(station=world.station, customer=world.customer, vehicle=world.vehicle,
                                            advisor=world.staff["service_advisor"])
    world.order = WorkOrderFactory(station=world.station, customer=world.customer, vehicle=world.vehicle,
                                   advisor=world.staff["service_advisor"])
    world.line = WorkOrderLineFactory(order=world.order)
    world.discount = DiscountApprovalFactory(order=world.order, line=world.line,
                                             requested_by=world.staff["receptionist"])
    world.loaner = LoanerFactory(station=world.station)
    world.loaner_booking = LoanerBookingFactory(loaner=world.loaner, order=world.order)
    world.pickup = PickupJobFactory(order=world.order, driver=world.staff["receptionist"])
