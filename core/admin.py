"""Admin: notifications are read here for support; they are written only through core.notifications."""

from django.contrib import admin

from core.models import AccessDenial, Notification


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "status", "recipient_staff", "recipient_customer", "subject")
    list_filter = ("channel", "status")
    search_fields = ("subject", "address")
    raw_id_fields = ("recipient_staff", "recipient_customer")


@admin.register(AccessDenial)
class AccessDenialAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "method", "path", "action", "reason", "ip")
    list_filter = ("reason",)
    search_fields = ("path", "user__username")
