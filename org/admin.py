from django.contrib import admin
from django.contrib.auth.admin import UserAdmin
from django.utils.translation import gettext_lazy as _

from org.models import AuthorityLimit, DealerGroup, Region, Staff, StaffEvent, Station


@admin.register(Staff)
class StaffAdmin(UserAdmin):
    list_display = ("username", "display_name", "station", "position", "reports_to", "is_active")
    list_filter = ("station", "position", "is_active")
    search_fields = ("username", "display_name", "phone", "employee_no")
    fieldsets = UserAdmin.fieldsets + (
        (_("Organisation"), {"fields": ("display_name", "group", "station", "region", "position", "reports_to", "extra_stations", "phone", "employee_no")}),
    )
    filter_horizontal = ("extra_stations", "groups", "user_permissions")


@admin.register(Station)
class StationAdmin(admin.ModelAdmin):
    list_display = ("code", "name", "group", "region", "is_active")
    list_filter = ("group", "region")


admin.site.register(DealerGroup)
admin.site.register(Region)


@admin.register(AuthorityLimit)
class AuthorityLimitAdmin(admin.ModelAdmin):
    list_display = ("station", "position", "max_discount_pct", "max_goodwill", "max_complaint_severity")
    list_filter = ("station",)


@admin.register(StaffEvent)
class StaffEventAdmin(admin.ModelAdmin):
    list_display = ("at", "kind", "staff", "station", "by", "note")
    list_filter = ("kind", "station")
