"""Trigram (pg_trgm) GIN indexes for the header search and the list's text filter, on PostgreSQL only.

Django writes `icontains` as `UPPER(col::text) LIKE UPPER('%term%')`; a GIN index over the same
expression with `gin_trgm_ops` serves it for terms of three characters or more (docs/decisions.md
2026-12-04). SQLite has no such index: the search there is a plain scan of the user's scope.
"""

from django.db import migrations

TABLE = "volunteers_volunteer"
COLUMNS = ('name',)


def forwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    schema_editor.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
    for column in COLUMNS:
        schema_editor.execute(
            f'CREATE INDEX IF NOT EXISTS "{TABLE}_{column}_trgm" ON "{TABLE}" '
            f'USING gin ((UPPER("{column}"::text)) gin_trgm_ops)'
        )


def backwards(apps, schema_editor):
    if schema_editor.connection.vendor != "postgresql":
        return
    for column in COLUMNS:
        schema_editor.execute(f'DROP INDEX IF EXISTS "{TABLE}_{column}_trgm"')


class Migration(migrations.Migration):
    dependencies = [("volunteers", "0004_station_officers_from_roster")]
    operations = [migrations.RunPython(forwards, backwards, elidable=False)]
