"""Admin: notifications are read here for support; they are written only through core.notifications.

Email and SMS whose delivery is ``unknown`` (a worker died while the gateway had it) or ``failed`` are found with
the status filter; after checking the gateway, "send again" queues the chosen ones once more.
"""

from django.contrib import admin, messages
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from core.models import AccessDenial, Notification
from core.notifications import notification_resend


@admin.register(Notification)
class NotificationAdmin(admin.ModelAdmin):
    list_display = ("created_at", "channel", "status", "attempts", "recipient_staff", "recipient_customer", "subject")
    list_filter = ("channel", "status")
    search_fields = ("subject", "address", "key", "provider_id")
    raw_id_fields = ("recipient_staff", "recipient_customer")
    readonly_fields = ("key", "attempts", "attempted_at", "provider_id", "sent_at", "error")
    actions = ["send_again"]

    @admin.action(description=_("Send again (checked: the gateway does not have it)"))
    def send_again(self, request, queryset):
        done = sum(notification_resend(notification=note) for note in queryset)
        self.message_user(
            request,
            ngettext("%(n)d message queued again.", "%(n)d messages queued again.", done) % {"n": done},
            messages.SUCCESS,
        )


@admin.register(AccessDenial)
class AccessDenialAdmin(admin.ModelAdmin):
    list_display = ("at", "user", "method", "path", "action", "reason", "ip")
    list_filter = ("reason",)
    search_fields = ("path", "user__username")
