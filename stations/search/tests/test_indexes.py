"""The trigram indexes exist where they can serve (PostgreSQL) and nowhere else (SQLite has no pg_trgm)."""

from django.db import connection

TRIGRAM_INDEXES = {
    "stations_workstation_name_trgm",
    "stations_workstation_code_trgm",
    "stations_workstation_police_station_trgm",
    "volunteers_volunteer_name_trgm",
    "mentoring_youth_name_trgm",
    "mentoring_youth_intake_reference_trgm",
    "activities_activity_title_trgm",
    "activities_activity_place_trgm",
    "activities_activity_partner_name_trgm",
    "activities_activity_school_trgm",
    "activities_activity_summary_trgm",
}


def _index_names() -> set[str]:
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT indexname FROM pg_indexes WHERE indexname LIKE %s", ["%_trgm"])
        else:
            cursor.execute("SELECT name FROM sqlite_master WHERE type = 'index' AND name LIKE '%_trgm'")
        return {row[0] for row in cursor.fetchall()}


def test_trigram_indexes_only_on_postgresql(db):
    expected = TRIGRAM_INDEXES if connection.vendor == "postgresql" else set()
    assert _index_names() == expected


def test_the_index_serves_djangos_icontains(db):
    """On PostgreSQL the index expression is the one Django writes for `icontains` (else the planner
    cannot use it); SQLite falls back to its case-insensitive LIKE scan."""
    from volunteers.models import Volunteer

    sql = str(Volunteer.objects.unscoped("aggregate_figure").filter(name__icontains="王志远").query)
    if connection.vendor != "postgresql":
        assert '"volunteers_volunteer"."name" LIKE %王志远%' in sql
    else:
        assert 'UPPER("volunteers_volunteer"."name"::text) LIKE UPPER(' in sql
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL enable_seqscan = off")
            cursor.execute(
                'EXPLAIN SELECT id FROM volunteers_volunteer WHERE UPPER("name"::text) LIKE UPPER(%s)', ["%王志远%"]
            )
            plan = "\n".join(row[0] for row in cursor.fetchall())
        assert "volunteers_volunteer_name_trgm" in plan
