from django.contrib import admin

from workshop.models import (
    Attendance,
    Bay,
    ClockEntry,
    Comeback,
    ComebackDismissal,
    Finding,
    FindingPhoto,
    JobAssignment,
    QualityCheck,
    RosterChange,
)


@admin.register(Bay)
class BayAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "kind", "station", "is_active")
    list_filter = ("station", "kind", "is_active")


@admin.register(Attendance)
class AttendanceAdmin(admin.ModelAdmin):
    """Shifts as clocked. The plan (planned hours, absent) is kept on the roster page, which records every change
    (RosterChange); here it is read-only so no change escapes that record."""

    list_display = ("day", "technician", "planned_hours", "is_absent", "started_at", "ended_at")
    list_filter = ("station", "is_absent")
    date_hierarchy = "day"
    raw_id_fields = ("technician",)
    readonly_fields = ("planned_hours", "is_absent")

    def has_add_permission(self, request) -> bool:
        return False  # a plan is made on the roster page; a shift row by clocking in


@admin.register(RosterChange)
class RosterChangeAdmin(admin.ModelAdmin):
    """The roster's audit trail: read-only (changes are made on the roster page)."""

    list_display = ("changed_at", "technician", "day", "old_planned_hours", "old_is_absent", "new_planned_hours",
                    "new_is_absent", "source", "changed_by")
    list_filter = ("station", "source")
    date_hierarchy = "day"

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False


@admin.register(JobAssignment)
class JobAssignmentAdmin(admin.ModelAdmin):
    list_display = ("order", "line", "technician", "bay", "assigned_at")
    raw_id_fields = ("order", "line", "technician", "assigned_by")
    readonly_fields = ("assigned_at",)


@admin.register(ClockEntry)
class ClockEntryAdmin(admin.ModelAdmin):
    """Read-only: clock entries change only through the job clock."""

    list_display = ("technician", "order", "line", "started_at", "ended_at", "end", "is_rework")
    list_filter = ("station", "end", "is_rework")

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False


class FindingPhotoInline(admin.TabularInline):
    model = FindingPhoto
    extra = 0


@admin.register(Finding)
class FindingAdmin(admin.ModelAdmin):
    list_display = ("order", "description", "found_by", "decision", "channel", "decided_by", "customer_answered_at")
    list_filter = ("station", "decision", "channel")
    raw_id_fields = ("order", "vehicle", "found_on", "lines", "found_by", "decided_by")
    inlines = [FindingPhotoInline]


@admin.register(QualityCheck)
class QualityCheckAdmin(admin.ModelAdmin):
    list_display = ("order", "attempt", "result", "inspector", "at", "road_test", "washed")
    list_filter = ("station", "result")
    raw_id_fields = ("order", "inspector")


@admin.register(Comeback)
class ComebackAdmin(admin.ModelAdmin):
    list_display = ("order", "earlier_order", "cause", "technician", "advisor", "linked_by", "linked_at")
    list_filter = ("station", "cause")
    raw_id_fields = ("order", "earlier_order", "technician", "advisor", "linked_by")


@admin.register(ComebackDismissal)
class ComebackDismissalAdmin(admin.ModelAdmin):
    list_display = ("order", "by", "at")
    raw_id_fields = ("order", "by")
