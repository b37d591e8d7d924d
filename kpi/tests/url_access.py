from org.tests.access import GROUP_POSITIONS, Row

VIEWERS = frozenset({"station_manager", "front_desk_lead", "workshop_lead", "technical_lead", "parts_lead"}) | GROUP_POSITIONS
MANAGERS = frozenset({"station_manager", "front_desk_lead", "group_director"})
PAY = frozenset({"station_manager", "workshop_lead"})
# the appraisal pages: the manager and director see every role, each lead their own people (the detail row below is
# an advisor's appraisal: the front-desk lead's; the workshop and parts leads get 403 there)
APPRAISERS = frozenset({"station_manager", "front_desk_lead", "workshop_lead", "parts_lead", "group_director"})

ROWS = {
    "kpi:index": Row(allowed=VIEWERS),
    "kpi:board": Row(allowed=VIEWERS, kwargs=lambda w: {"name": "station"}),
    "kpi:export": Row(allowed=VIEWERS, kwargs=lambda w: {"name": "desk", "fmt": "csv"}),
    "kpi:group": Row(allowed=GROUP_POSITIONS),
    "kpi:group_export": Row(allowed=GROUP_POSITIONS, kwargs=lambda w: {"fmt": "xlsx"}),
    "kpi:drill": Row(allowed=VIEWERS, kwargs=lambda w: {"code": "revenue"}),
    "kpi:targets": Row(allowed=MANAGERS),
    "kpi:overhead": Row(allowed=MANAGERS),
    "kpi:settings": Row(allowed=MANAGERS),
    "kpi:appraisals": Row(allowed=APPRAISERS),
    "kpi:appraisal_settings": Row(allowed=MANAGERS),
    "kpi:appraisal_detail": Row(other_station=404, allowed=MANAGERS, kwargs=lambda w: {"pk": w.kpi_appraisal.pk}),
    "kpi:pay": Row(allowed=PAY),
    "kpi:pay_approve": Row(other_station=404, allowed=PAY, method="post", status=302,
                           kwargs=lambda w: {"pk": w.kpi_pay_statement.pk}),
    "kpi:pay_mine": Row(allowed=frozenset({"technician"})),
}


def setup(world):
    from datetime import date

    from kpi.factories import AppraisalFactory
    from kpi.models import PayStatement
    from org.factories import StaffFactory

    advisor = StaffFactory(username="kpi-advisor", station=world.station, position="service_advisor")
    world.kpi_appraisal = AppraisalFactory(station=world.station, advisor=advisor, month=date(2026, 3, 1))
    technician = StaffFactory(username="kpi-technician", station=world.station, position="technician")
    world.kpi_pay_statement = PayStatement.objects.create(station=world.station, technician=technician,
                                                          month=date(2026, 3, 1))
