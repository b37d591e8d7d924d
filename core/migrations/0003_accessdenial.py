"""AccessDenial moves from the organisation app (label aftersales) to core in the model state only; the table keeps
its name. core.access writes it."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0002_notification"),
        ("aftersales", "0001_initial"),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="AccessDenial",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("path", models.CharField(max_length=500)),
                        ("method", models.CharField(max_length=10)),
                        ("action", models.CharField(blank=True, max_length=64)),
                        ("reason", models.CharField(max_length=64)),
                        ("ip", models.GenericIPAddressField(blank=True, null=True)),
                        ("at", models.DateTimeField(auto_now_add=True, db_index=True)),
                        ("user", models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name="+", to=settings.AUTH_USER_MODEL)),
                    ],
                    options={
                        "verbose_name": "denied access",
                        "verbose_name_plural": "denied accesses",
                        "ordering": ["-at"],
                        "db_table": "aftersales_accessdenial",
                    },
                ),
            ],
        ),
    ]
