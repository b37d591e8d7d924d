from org.tests.access import EVERYONE, GROUP_POSITIONS, Row

VIEW = frozenset({"station_manager", "front_desk_lead", "service_advisor", "customer_relations",
                  "information_specialist"}) | GROUP_POSITIONS
HANDLE = VIEW
MESSAGES = VIEW | {"receptionist"}
RESEND = MESSAGES - GROUP_POSITIONS
CALLS = frozenset({"station_manager", "front_desk_lead", "customer_relations", "information_specialist"})


def _c(w):
    return {"pk": w.complaint.pk}


def _call(w):
    return {"pk": w.call.pk}


def _fresh_call(w):
    from complaints.services.followups import followup_create_for_order
    from reception.factories import WorkOrderFactory

    return {"pk": followup_create_for_order(order=WorkOrderFactory(delivered=True, station=w.station,
                                                                   advisor=w.staff["service_advisor"])).pk}


SURVEY = {"overall": 5, **{f"p_{d}": 5 for d in ("tangibles", "reliability", "responsiveness", "assurance", "empathy")}}

ROWS = {
    "complaints:index": Row(allowed=VIEW),
    "complaints:intake": Row(allowed=HANDLE),
    "complaints:detail": Row(other_station=404, allowed=VIEW, kwargs=_c),
    "complaints:acknowledge": Row(other_station=404, allowed=HANDLE, status=302, method="post", kwargs=_c),
    # The complaint is only received: analyse, handle and close are refused on its page, at the form (400).
    "complaints:analyse": Row(
        other_station=404, allowed=HANDLE, status=400, method="post", kwargs=_c,
        data=lambda w: {"root_cause": "x", "responsible_department": "workshop", "severity": 1},
    ),
    "complaints:handle": Row(other_station=404, allowed=HANDLE, status=400, method="post", kwargs=_c,
                             data=lambda w: {"remedy": "x"}),
    "complaints:contact": Row(
        other_station=404, allowed=HANDLE, status=302, method="post", kwargs=_c, data=lambda w: {"channel": "phone",
                                                                                                 "summary": "x"}
    ),
    "complaints:feedback": Row(other_station=404, allowed=HANDLE, status=302, method="post", kwargs=_c,
                               data=lambda w: {"accepted": "yes"}),
    "complaints:close": Row(
        other_station=404, allowed=HANDLE, status=400, method="post", kwargs=_c,
        data=lambda w: {"corrective_action": "x", "corrective_owner": w.manager.pk, "corrective_due": "2026-12-31",
                        "satisfaction": 4},
    ),
    "complaints:escalate": Row(other_station=404, allowed=HANDLE, status=302, method="post", kwargs=_c),
    "complaints:crisis": Row(other_station=404, allowed=HANDLE, status=302, method="post", kwargs=_c),
    # No owner chosen: the complaint page comes back with the error at the owner (400).
    "complaints:reassign": Row(other_station=404, allowed=HANDLE, status=400, method="post", kwargs=_c),
    "complaints:calls": Row(allowed=CALLS),
    "complaints:call": Row(other_station=404, allowed=CALLS, kwargs=_call),
    "complaints:call_attempt": Row(
        other_station=404, allowed=CALLS, status=302, method="post", kwargs=_call,
        data=lambda w: {"outcome": "no_answer"},
    ),
    # A fresh call each time: the first survey would finish a shared call and refuse the next position's (400).
    "complaints:call_survey": Row(other_station=404, allowed=CALLS, status=302, method="post", kwargs=_fresh_call,
                                  data=lambda w: SURVEY),
    "complaints:reminders": Row(allowed=EVERYONE),
    "complaints:settings": Row(allowed=frozenset({"station_manager", "group_director"})),
    "complaints:reminder_read": Row(
        allowed=EVERYONE, status=302, method="post", data=lambda w: {"notification": w.notification.pk}
    ),
    "complaints:reminders_read_all": Row(allowed=EVERYONE, status=302, method="post"),
    "complaints:messages": Row(allowed=MESSAGES),
    # The first resend queues the failed message; the later ones are told it is not failed: a redirect either way.
    "complaints:message_resend": Row(other_station=404, allowed=RESEND, status=302, method="post",
                                     kwargs=lambda w: {"pk": w.failed_message.pk}),
    "complaints:customer_consent": Row(other_station=404, allowed=RESEND,
                                       kwargs=lambda w: {"pk": w.complaint.customer_id}),
    # The gateways' receipt callbacks: public, checked by the secret in the URL (none configured here: 404) and, for
    # WeChat, by its signature (none given: 403) — the same for everyone, logged in or not.
    "complaints:receipt_aliyun": Row(allowed=EVERYONE, status=404, method="post", public=True,
                                     kwargs=lambda w: {"token": "guess"}),
    "complaints:receipt_tencent": Row(allowed=EVERYONE, status=404, method="post", public=True,
                                      kwargs=lambda w: {"token": "guess"}),
    "complaints:reply_aliyun": Row(allowed=EVERYONE, status=404, method="post", public=True,
                                   kwargs=lambda w: {"token": "guess"}),
    "complaints:reply_tencent": Row(allowed=EVERYONE, status=404, method="post", public=True,
                                    kwargs=lambda w: {"token": "guess"}),
    "complaints:receipt_wechat": Row(allowed=EVERYONE, status=403, public=True),
    "complaints:due_service": Row(allowed=CALLS),
    "complaints:win_back": Row(allowed=CALLS),
    "complaints:insurance": Row(allowed=CALLS, query="?days=60"),
    "complaints:due_service_call": Row(other_station=404, allowed=CALLS, status=302, method="post",
                                       kwargs=lambda w: {"pk": w.retention_vehicle.pk},
                                       data=lambda w: {"outcome": "unreachable"}),
    "complaints:win_back_call": Row(other_station=404, allowed=CALLS, status=302, method="post",
                                    kwargs=lambda w: {"pk": w.lost_customer.pk},
                                    data=lambda w: {"outcome": "will_come", "note": "x"}),
    # An outcome of another list: the form comes back with the error at the outcome (400).
    "complaints:insurance_call": Row(other_station=404, allowed=CALLS, status=400, method="post",
                                     kwargs=lambda w: {"pk": w.retention_vehicle.pk},
                                     data=lambda w: {"outcome": "booked"}),
    "complaints:insurance_sms": Row(other_station=404, allowed=CALLS, status=302, method="post",
                                    kwargs=lambda w: {"pk": w.retention_vehicle.pk}),
}


def setup(world):
    from complaints.services.complaints import complaint_create
    from complaints.services.followups import followup_create_for_order
    from core.notifications import notification_send
    from reception.factories import WorkOrderFactory, lost_customer

    advisor = world.staff["service_advisor"]
    order = WorkOrderFactory(delivered=True, station=world.station, advisor=advisor)
    world.complaint = complaint_create(
        by=advisor, station=world.station, customer=order.customer, order=order, source="phone",
        category="quality", severity=1, subject="acl", description="acl",
    )
    world.call = followup_create_for_order(order=order, by=advisor)
    world.notification = notification_send(channel="in_app", to_staff=advisor, subject="acl", body="")
    world.failed_message = notification_send(channel="sms", to_customer=order.customer, subject="acl", body="")
    type(world.failed_message).objects.filter(pk=world.failed_message.pk).update(status="failed")
    world.retention_vehicle = order.vehicle
    world.lost_customer = lost_customer(station=world.station)
