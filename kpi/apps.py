from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import registry


def followup_window_days(*, station_id: int) -> int:
    """The station's follow-up window in days (``KpiSettings``, the figure kpi.sources.complaints counts calls in)."""
    from kpi.sources.base import station_settings  # models: only once the app registry is ready

    return station_settings([station_id])[station_id].followup_window_days


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPI")

    def ready(self) -> None:
        from kpi import listeners  # imports models: only once the app registry is ready
        from org import permissions as perm

        registry.menu_add(_("Dashboards"), "kpi:index", perm.KPI_VIEW, "bi-graph-up", order=50)
        registry.menu_add(_("Pay on sold hours"), "kpi:pay", perm.PAY_MANAGE, "bi-cash-coin", order=52)
        registry.menu_add(_("My pay"), "kpi:pay_mine", perm.PAY_OWN, "bi-cash-coin", order=52)
        # Customer care schedules follow-up calls inside the window the follow-up KPI counts them in.
        registry.provide("kpi.followup_window_days", followup_window_days, app="kpi")

        # The rows the measures are computed from: a save or delete marks its days dirty (kpi.listeners).
        for label, fn in (
            ("reception.WorkOrderEvent", listeners.order_event_changed),
            ("reception.WorkOrderLine", listeners.order_line_changed),
            ("reception.Appointment", listeners.appointment_changed),
            ("parts.DemandLine", listeners.demand_line_changed),
            ("parts.StockMove", listeners.stock_move_changed),
            ("workshop.ClockEntry", listeners.clock_entry_changed),
            ("workshop.Attendance", listeners.attendance_changed),
            ("workshop.Comeback", listeners.comeback_changed),
            ("settlement.Statement", listeners.statement_changed),
            ("complaints.Complaint", listeners.complaint_changed),
            ("complaints.SurveyResponse", listeners.survey_response_changed),
            ("complaints.SurveyAnswer", listeners.survey_answer_changed),
            ("complaints.CallAttempt", listeners.call_attempt_changed),
            ("reception.CampaignVehicle", listeners.campaign_vehicle_changed),
            ("aftersales.StaffSurveyAnswer", listeners.staff_survey_answer_changed),
            ("aftersales.MysteryShopVisit", listeners.mystery_visit_changed),
            ("complaints.RetentionCall", listeners.retention_call_changed),
        ):
            registry.listen(label, fn, app="kpi")
