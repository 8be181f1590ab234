"""A covering index for the figures that reach activities through their station links, on PostgreSQL only.

A list's or unit's totals start from the stations' links (`activities_activity_stations`) and look up
each activity by id for the columns the figures read: archived, day, type and the counted amounts. With
those columns in the index the lookup reads the index alone (an index-only scan, no table page): a county
of 4,700 activities, all years, 6.4 → 4.7 ms for its sessions and 13.3 → 11.0 ms for its person-times
(docs/benchmarks.md). SQLite has no INCLUDE: there the index would be a second copy of the primary key.
"""

from django.db import migrations

NAME = "activity_figures_by_id"


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute(
        f'CREATE INDEX IF NOT EXISTS "{NAME}" ON "activities_activity" ("id") '
        'INCLUDE ("is_archived", "held_on", "type_id", "audience_count", "minors_reached", "amount_yuan")'
    )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute(f'DROP INDEX IF EXISTS "{NAME}"')


class Migration(migrations.Migration):
    dependencies = [("activities", "0006_activity_day_order")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
