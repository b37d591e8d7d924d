"""Search indexes that lead with the station (btree_gin): a station's search reads only its own matches.

The trigram indexes of 0003 cover the whole group, so a 4-character plate fragment typed at one station fetched every
station's matches and threw most away (9 of 10 with ten stations). btree_gin lets a GIN index hold the station id
beside the trigrams, so ``station_id = 5 AND plate LIKE '%A123%'`` can be answered inside one index. A GIN index serves
a condition on any of its columns, so the same index answers a search over several stations (a director's:
``plate LIKE …`` in the index, ``station_id IN (…)`` on the rows): the group-wide trigram indexes of 0003 are
dropped (their b-tree prefix indexes stay).

PostgreSQL only, like 0003; SQLite gets nothing.
"""

from django.contrib.postgres.operations import BtreeGinExtension
from django.db import migrations

INDEXES = [
    ("reception_vehicle", "vehicle_station_vin_trgm", "vin"),
    ("reception_vehicle", "vehicle_station_plate_trgm", "plate"),
    ("reception_customer", "customer_station_mobile_trgm", "mobile"),
    ("reception_customer", "customer_station_name_trgm", "UPPER(name)"),
]

# the trigram indexes of 0003, replaced by the ones above
GROUP_WIDE = [
    ("reception_vehicle", "vehicle_vin_trgm", "vin"),
    ("reception_vehicle", "vehicle_plate_trgm", "plate"),
    ("reception_customer", "customer_mobile_trgm", "mobile"),
    ("reception_customer", "customer_name_trgm", "UPPER(name)"),
]


def create(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, expr in INDEXES:
        schema_editor.execute(
            f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (station_id, ({expr}) gin_trgm_ops)"
        )
    for _table, name, _expr in GROUP_WIDE:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


def drop(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for table, name, expr in GROUP_WIDE:
        schema_editor.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} USING gin (({expr}) gin_trgm_ops)")
    for _table, name, _expr in INDEXES:
        schema_editor.execute(f"DROP INDEX IF EXISTS {name}")


class Migration(migrations.Migration):
    dependencies = [("reception", "0007_list_and_desk_indexes")]

    operations = [
        BtreeGinExtension(),
        migrations.RunPython(create, drop),
    ]
