"""Admin: read-mostly views for support; complaints change only through the services (the pages)."""

from django.contrib import admin

from complaints.models import (
    AppointmentReminder,
    CareSettings,
    Complaint,
    ComplaintEvent,
    Escalation,
    FollowUpCall,
    MaintenanceReminder,
    SurveyResponse,
)


@admin.register(CareSettings)
class CareSettingsAdmin(admin.ModelAdmin):
    list_display = ("station", "response_hours_1", "resolution_hours_1", "followup_due_days", "followup_expire_days")


class EventInline(admin.TabularInline):
    model = ComplaintEvent
    extra = 0
    can_delete = False
    readonly_fields = ("kind", "old_state", "new_state", "by", "at", "note")


@admin.register(Complaint)
class ComplaintAdmin(admin.ModelAdmin):
    list_display = ("number", "station", "state", "severity", "is_crisis", "owner", "received_at", "resolution_due")
    list_filter = ("station", "state", "severity", "is_crisis", "source")
    search_fields = ("number", "subject", "customer__name", "customer__mobile")
    readonly_fields = [f.name for f in Complaint._meta.fields]
    inlines = [EventInline]


@admin.register(Escalation)
class EscalationAdmin(admin.ModelAdmin):
    list_display = ("complaint", "breach", "deadline", "from_staff", "to_staff", "at")
    list_filter = ("breach",)
    readonly_fields = ("complaint", "breach", "deadline", "from_staff", "to_staff", "at")


@admin.register(FollowUpCall)
class FollowUpCallAdmin(admin.ModelAdmin):
    list_display = ("order", "station", "status", "due_at", "attempts", "possible_comeback")
    list_filter = ("station", "status", "possible_comeback")
    raw_id_fields = ("order", "customer", "advisor", "completed_by", "complaint")


@admin.register(SurveyResponse)
class SurveyResponseAdmin(admin.ModelAdmin):
    list_display = ("customer", "station", "overall", "problem_fixed", "at")
    list_filter = ("station", "overall")
    raw_id_fields = ("call", "customer", "order", "by")


admin.site.register(AppointmentReminder)
admin.site.register(MaintenanceReminder)
