"""DocumentCounter moves from reception to core in the model state only; its table keeps its name."""

import django.db.models.deletion
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True

    dependencies = [
        ("aftersales", "0001_initial"),
        ("reception", "0004_appointment_parts"),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            database_operations=[],
            state_operations=[
                migrations.CreateModel(
                    name="DocumentCounter",
                    fields=[
                        ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                        ("kind", models.CharField(max_length=20)),
                        ("year", models.PositiveSmallIntegerField()),
                        ("last", models.PositiveIntegerField(default=0)),
                        ("station", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="+",
                                                      to="aftersales.station")),
                    ],
                    options={"db_table": "reception_documentcounter"},
                ),
                migrations.AddConstraint(
                    model_name="documentcounter",
                    constraint=models.UniqueConstraint(fields=("station", "kind", "year"),
                                                       name="one_counter_per_kind_year"),
                ),
            ],
        ),
    ]
