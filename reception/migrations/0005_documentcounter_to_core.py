"""DocumentCounter now lives in core (core.numbering); the table stays, only the model state leaves reception."""

from django.db import migrations


class Migration(migrations.Migration):
    dependencies = [
        ("reception", "0004_appointment_parts"),
        ("core", "0001_documentcounter"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[migrations.DeleteModel(name="DocumentCounter")],
        ),
    ]
