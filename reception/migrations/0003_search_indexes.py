"""Trigram indexes for the front-desk search box (plate, VIN, mobile, name; partial matches).

PostgreSQL only: pg_trgm GIN indexes serve ``LIKE '%…%'``. Elsewhere (SQLite in development) nothing is created and
search falls back to plain scans, which is fine at development sizes.
"""

from django.contrib.postgres.operations import TrigramExtension
from django.db import migrations

INDEXES = [
    ("reception_vehicle", "vehicle_vin_trgm", "vin"),
    ("reception_vehicle", "vehicle_plate_trgm", "plate"),
    ("reception_customer", "customer_mobile_trgm", "mobile"),
    ("reception_customer", "customer_name_trgm", "UPPER(name)"),
]


# Short queries (a two-character Chinese name, a plate prefix) have no trigram: they use prefix b-tree indexes.
PREFIX_INDEXES = [
    ("reception_customer", "customer_name_prefix", "UPPER(name) varchar_pattern_ops"),
    ("reception_vehicle", "vehicle_plate_prefix", "plate varchar_pattern_ops"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, expr in INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expr}) gin_trgm_ops)")
    for table, name, expr in PREFIX_INDEXES:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({expr})")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for _table, name, _expr in INDEXES + PREFIX_INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reception", "0002_front_desk")]

    operations = [
        TrigramExtension(),
        migrations.RunPython(create, drop),
    ]
