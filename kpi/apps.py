from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

from core.registry import registry


class KpiConfig(AppConfig):
    name = "kpi"
    verbose_name = _("KPI")

    def ready(self) -> None:
        from kpi import listeners  # imports models: only once the app registry is ready
        from org import permissions as perm

        registry.menu_add(_("Dashboards"), "kpi:index", perm.KPI_VIEW, "bi-graph-up", order=50)

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
        ):
            registry.listen(label, fn, app="kpi")
