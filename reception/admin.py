from django.contrib import admin

from reception import models


@admin.register(models.Customer)
class CustomerAdmin(admin.ModelAdmin):
    list_display = ("name", "mobile", "kind", "station")
    search_fields = ("name", "mobile")
    list_filter = ("station", "kind")


@admin.register(models.Vehicle)
class VehicleAdmin(admin.ModelAdmin):
    list_display = ("plate", "vin", "make", "model", "owner", "station")
    search_fields = ("plate", "vin")
    raw_id_fields = ("owner",)


@admin.register(models.LabourOperation)
class LabourOperationAdmin(admin.ModelAdmin):
    list_display = ("code", "name_zh", "category", "standard_hours", "rate_customer", "station", "is_active")
    search_fields = ("code", "name_zh", "name_en")
    list_filter = ("station", "category")


@admin.register(models.ChecklistItem)
class ChecklistItemAdmin(admin.ModelAdmin):
    list_display = ("label", "area", "position", "station", "is_active")
    list_filter = ("station", "area")


@admin.register(models.Appointment)
class AppointmentAdmin(admin.ModelAdmin):
    list_display = ("start", "vehicle", "customer", "advisor", "status")
    list_filter = ("station", "status")
    raw_id_fields = ("customer", "vehicle", "work_order")
