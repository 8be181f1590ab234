# ruff: noqa: S608 - the statements interpolate only code constants (choice values); data goes in as params
"""The bare aggregates of the provincial summary (issue 15 §3: "the provincial summary ≤ 2 × the bare
aggregates"): hand-written SQL, one GROUP BY per source table, that returns the numbers the summary's
figures are made of for every station of a subtree and one period — what a database programmer would write
to fill the workbook, with no figure registry, no Python merging and no ORM.

`bare_queries` gives the statements; `bare_totals` runs them and returns a few province totals that the
benchmark compares with the summary's own (so the bare side really computes the same numbers).
"""

from django.conf import settings
from django.db import connection

from activities.models import FormKind
from stations.models import StationStatus
from volunteers.models import CURRENT_STATUSES, ElderCategory, MemberType, Position

# the stations of the subtree; every query below restricts to them
STATIONS = "SELECT id FROM stations_workstation WHERE org_path LIKE %(prefix)s"


def _in(values) -> str:
    return "(" + ", ".join(f"'{value}'" for value in values) + ")"


def bare_queries(root, period) -> list[tuple[str, dict]]:
    params = {
        "prefix": root.path + ".%",
        "start": period.start,
        "end": period.end,
        "year": period.year,
    }
    current = _in(CURRENT_STATUSES)
    on_roll = f"v.joined_on <= %(end)s AND (v.left_on > %(end)s OR (v.left_on IS NULL AND v.status IN {current}))"
    member_terms = ", ".join(
        [f"COUNT(*) FILTER (WHERE {on_roll} AND v.member_type = '{value}')" for value in MemberType.values]
        + [f"COUNT(*) FILTER (WHERE {on_roll} AND v.elder_category = '{value}')" for value in ElderCategory.values]
    )
    thresholds = sorted(settings.VOLUNTEER_STAR_HOURS)
    level = " + ".join(f"(CASE WHEN SUM(l.hours) >= {t} THEN 1 ELSE 0 END)" for t in thresholds)
    activity_in_period = "NOT a.is_archived AND a.held_on BETWEEN %(start)s AND %(end)s"
    queries = [
        # stations: status and joint-build type, funding of the year, documents on file
        (
            "SELECT w.id, w.county_id, w.status, w.partner_type,"
            " (SELECT SUM(f.amount_yuan) FROM stations_funding f WHERE f.workstation_id = w.id AND f.year = %(year)s),"
            " (SELECT COUNT(*) FROM stations_systemdocument d WHERE d.workstation_id = w.id AND d.document > '')"
            " FROM stations_workstation w WHERE w.org_path LIKE %(prefix)s",
            params,
        ),
        # volunteers: on the roll at the period's end (all, by type, by category), joined and left in it
        (
            f"SELECT v.workstation_id, COUNT(*) FILTER (WHERE {on_roll}), {member_terms},"
            " COUNT(*) FILTER (WHERE v.joined_on BETWEEN %(start)s AND %(end)s),"
            f" COUNT(*) FILTER (WHERE v.left_on BETWEEN %(start)s AND %(end)s AND v.status NOT IN {current})"
            f" FROM volunteers_volunteer v WHERE v.workstation_id IN ({STATIONS}) GROUP BY v.workstation_id",
            params,
        ),
        # staffing of today's members
        (
            f"SELECT v.workstation_id, COUNT(*) FILTER (WHERE v.position = '{Position.HEAD}'),"
            f" COUNT(*) FILTER (WHERE v.position = '{Position.DEPUTY}'),"
            f" COUNT(*) FILTER (WHERE v.member_type = '{MemberType.RETIRED_OFFICER}'),"
            f" COUNT(*) FILTER (WHERE v.member_type <> '{MemberType.RETIRED_OFFICER}')"
            f" FROM volunteers_volunteer v WHERE v.status IN {current} AND v.workstation_id IN ({STATIONS})"
            f" GROUP BY v.workstation_id",
            params,
        ),
        # trainings and their attendances
        (
            "SELECT t.workstation_id, COUNT(DISTINCT t.id), COUNT(a.id) FROM volunteers_training t"
            " LEFT JOIN volunteers_training_attendees a ON a.training_id = t.id"
            f" WHERE t.held_on BETWEEN %(start)s AND %(end)s AND t.workstation_id IN ({STATIONS})"
            " GROUP BY t.workstation_id",
            params,
        ),
        # service hours of the period
        (
            "SELECT v.workstation_id, SUM(l.hours) FROM volunteers_servicelog l"
            " JOIN volunteers_volunteer v ON v.id = l.volunteer_id"
            f" WHERE l.served_on BETWEEN %(start)s AND %(end)s AND v.workstation_id IN ({STATIONS})"
            " GROUP BY v.workstation_id",
            params,
        ),
        # star levels: members on the roll by the hours they have served up to the period's end
        (
            "SELECT station, level, COUNT(*) FROM ("
            f" SELECT v.workstation_id AS station, {level} AS level FROM volunteers_servicelog l"
            " JOIN volunteers_volunteer v ON v.id = l.volunteer_id"
            f" WHERE l.served_on <= %(end)s AND {on_roll} AND v.workstation_id IN ({STATIONS})"
            " GROUP BY v.id, v.workstation_id) member WHERE level > 0 GROUP BY station, level",
            params,
        ),
        # activities per station and type (a joint activity counts for each station)
        (
            "SELECT s.workstation_id, a.type_id, COUNT(*), SUM(a.police_count + a.teacher_count + a.parent_count),"
            " SUM(a.audience_count), SUM(a.minors_reached), SUM(a.amount_yuan), SUM(a.people_helped)"
            " FROM activities_activity_stations s JOIN activities_activity a ON a.id = s.activity_id"
            f" WHERE {activity_in_period} AND s.workstation_id IN ({STATIONS}) GROUP BY s.workstation_id, a.type_id",
            params,
        ),
        # person-times per station and type
        (
            "SELECT s.workstation_id, a.type_id, COUNT(*) FROM activities_activity_volunteers av"
            " JOIN activities_activity a ON a.id = av.activity_id"
            " JOIN activities_activity_stations s ON s.activity_id = a.id"
            f" WHERE {activity_in_period} AND s.workstation_id IN ({STATIONS}) GROUP BY s.workstation_id, a.type_id",
            params,
        ),
        # unit totals: each activity once per county, city and the province, however many stations held it
        (
            "SELECT county, city, COUNT(*), SUM(a.audience_count), SUM(a.minors_reached), SUM(a.amount_yuan),"
            f" COUNT(*) FILTER (WHERE t.form_kind = '{FormKind.LECTURE}')"
            " FROM (SELECT DISTINCT s.activity_id, w.county_id AS county, c.parent_id AS city"
            " FROM activities_activity_stations s JOIN activities_activity a ON a.id = s.activity_id"
            " JOIN stations_workstation w ON w.id = s.workstation_id JOIN stations_orgunit c ON c.id = w.county_id"
            f" WHERE {activity_in_period} AND w.org_path LIKE %(prefix)s) unit"
            " JOIN activities_activity a ON a.id = unit.activity_id"
            " JOIN activities_activitytype t ON t.id = a.type_id"
            " GROUP BY GROUPING SETS ((county), (city), ())",
            params,
        ),
        # youth: under mentoring in the period, taken in, closed; re-involved
        (
            "SELECT y.workstation_id,"
            " COUNT(*) FILTER (WHERE y.intake_on <= %(end)s AND (y.closed_on IS NULL OR y.closed_on >= %(start)s)),"
            " COUNT(*) FILTER (WHERE y.intake_on BETWEEN %(start)s AND %(end)s),"
            " COUNT(*) FILTER (WHERE y.closed_on BETWEEN %(start)s AND %(end)s),"
            " COUNT(*) FILTER (WHERE y.is_listed AND y.intake_on <= %(end)s"
            " AND (y.closed_on IS NULL OR y.closed_on > %(end)s)),"
            " COUNT(*) FILTER (WHERE EXISTS (SELECT 1 FROM mentoring_reinvolvement r WHERE r.youth_id = y.id"
            " AND r.on BETWEEN %(start)s AND %(end)s))"
            f" FROM mentoring_youth y WHERE y.workstation_id IN ({STATIONS}) GROUP BY y.workstation_id",
            params,
        ),
        # visits and youth visited
        (
            "SELECT y.workstation_id, COUNT(*), COUNT(DISTINCT v.youth_id) FROM mentoring_visit v"
            " JOIN mentoring_youth y ON y.id = v.youth_id"
            f" WHERE v.visited_on BETWEEN %(start)s AND %(end)s AND y.workstation_id IN ({STATIONS})"
            " GROUP BY y.workstation_id",
            params,
        ),
        # police calls and their follow-ups; back to school
        (
            "SELECT c.workstation_id, COUNT(*), COUNT(c.followup_on) FROM mentoring_policecall c"
            f" WHERE c.called_at::date BETWEEN %(start)s AND %(end)s AND c.workstation_id IN ({STATIONS})"
            " GROUP BY c.workstation_id",
            params,
        ),
        (
            "SELECT y.workstation_id, COUNT(DISTINCT m.youth_id) FROM mentoring_milestone m"
            " JOIN mentoring_youth y ON y.id = m.youth_id WHERE m.kind = 'back_to_school'"
            f" AND m.on BETWEEN %(start)s AND %(end)s AND y.workstation_id IN ({STATIONS}) GROUP BY y.workstation_id",
            params,
        ),
        # inspections: best score per half, rectifications, the year's checklist, awards
        (
            "SELECT i.workstation_id, r.half, MAX(i.score) FROM inspections_inspection i"
            " JOIN inspections_inspectionround r ON r.id = i.round_id"
            f" WHERE r.year = %(year)s AND i.workstation_id IN ({STATIONS}) GROUP BY i.workstation_id, r.half",
            params,
        ),
        (
            "SELECT x.workstation_id, x.status, COUNT(*) FROM inspections_rectification x"
            f" WHERE x.workstation_id IN ({STATIONS}) GROUP BY x.workstation_id, x.status",
            params,
        ),
        (
            "SELECT k.workstation_id, k.status, k.submitted_at FROM inspections_annualchecklist k"
            f" WHERE k.year = %(year)s AND k.workstation_id IN ({STATIONS})",
            params,
        ),
        (
            f"SELECT n.workstation_id, n.status FROM inspections_nomination n WHERE n.workstation_id IN ({STATIONS})",
            params,
        ),
    ]
    return queries


def bare_totals(root, period) -> dict[str, float]:
    """Run the statements once; the province totals that the benchmark compares with the summary's."""
    results = []
    with connection.cursor() as cursor:
        for sql, params in bare_queries(root, period):
            cursor.execute(sql, params)
            results.append(cursor.fetchall())
    stations, volunteers, _staff, _train, hours, stars, _per_type, _att, units, youth, visits = results[:11]
    return {
        "stations.status_active": sum(1 for row in stations if row[2] == StationStatus.ACTIVE),
        "volunteers.active": sum(row[1] for row in volunteers),
        "volunteers.service_hours": float(sum(row[1] for row in hours)),
        "volunteers.starred": sum(row[2] for row in stars),
        "activities.sessions": next(row[2] for row in units if row[0] is None and row[1] is None),
        "mentoring.youth_under_mentoring": sum(row[1] for row in youth),
        "mentoring.visits": sum(row[1] for row in visits),
    }
