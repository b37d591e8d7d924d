"""AccessDenial now lives in core (core.access records it); the table stays, only the model state leaves."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("aftersales", "0001_initial"),
        ("core", "0003_accessdenial"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="AccessDenial")],
        ),
    ]
