"""Notification moves from complaints to core in the model state only; its table keeps its name."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0001_documentcounter"),
        ("complaints", "0002_appointment_reminder"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("reception", "0004_appointment_parts"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="Notification",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("channel", models.CharField(choices=[("in_app", "in-app"), ("email", "email"), ("sms", "SMS")], max_length=8, verbose_name="channel")),
                        ("address", models.CharField(blank=True, help_text="Email address or mobile used.", max_length=254, verbose_name="address")),
                        ("subject", models.CharField(max_length=200, verbose_name="subject")),
                        ("body", models.TextField(blank=True, verbose_name="message")),
                        ("related_id", models.PositiveBigIntegerField(blank=True, null=True)),
                        ("status", models.CharField(choices=[("queued", "queued"), ("sent", "sent"), ("failed", "failed"), ("read", "read")], default="queued", max_length=8, verbose_name="status")),
                        ("created_at", models.DateTimeField(auto_now_add=True, db_index=True, verbose_name="created at")),
                        ("sent_at", models.DateTimeField(blank=True, null=True, verbose_name="sent at")),
                        ("read_at", models.DateTimeField(blank=True, null=True, verbose_name="read at")),
                        ("error", models.TextField(blank=True, verbose_name="error")),
                        ("recipient_customer", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to="reception.customer", verbose_name="customer recipient")),
                        ("recipient_staff", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="notifications", to=settings.AUTH_USER_MODEL, verbose_name="staff recipient")),
                        ("related_type", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="contenttypes.contenttype")),
                        ("station", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.CASCADE, related_name="+", to="aftersales.station", verbose_name="station")),
                    ],
                    options={
                        "verbose_name": "notification",
                        "verbose_name_plural": "notifications",
                        "db_table": "complaints_notification",
                        "ordering": ["-created_at", "-id"],
                        "indexes": [models.Index(fields=["recipient_staff", "channel", "status"], name="complaints__recipie_6fbe38_idx")],
                        "constraints": [models.CheckConstraint(condition=models.Q(("recipient_staff__isnull", False), ("recipient_customer__isnull", False), _connector="OR"), name="notification_has_recipient")],
                    },
                ),
            ],
        ),
    ]
