"""The covering index of the activity figures exists where it can serve (PostgreSQL) and nowhere else."""

import pytest
from django.db import connection

pytestmark = pytest.mark.django_db

COLUMNS = ["is_archived", "held_on", "type_id", "audience_count", "minors_reached", "amount_yuan"]


def test_the_figures_read_activities_from_the_index_alone_on_postgresql():
    with connection.cursor() as cursor:
        if connection.vendor != "postgresql":
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name = 'activity_figures_by_id'")
            assert cursor.fetchall() == []  # SQLite has no INCLUDE: it would be a copy of the primary key
            return
        cursor.execute("SELECT indexdef FROM pg_indexes WHERE indexname = 'activity_figures_by_id'")
        (definition,) = cursor.fetchone()
    assert definition.endswith(f"USING btree (id) INCLUDE ({', '.join(COLUMNS)})")
