"""Notification now lives in core (core.notifications); the table stays, the reminders point at core's model."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("complaints", "0002_appointment_reminder"),
        ("core", "0002_notification"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.AlterField(
                    model_name="maintenancereminder", name="notification",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="+", to="core.notification"),
                ),
                migrations.AlterField(
                    model_name="appointmentreminder", name="notification",
                    field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL,
                                            related_name="+", to="core.notification"),
                ),
                migrations.DeleteModel(name="Notification"),
            ],
        ),
    ]
