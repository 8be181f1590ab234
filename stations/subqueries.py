"""Query expressions the apps share."""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, *, per: str) -> Coalesce:
    """How many of `rows` belong to each outer row, 0 for none: a correlated subquery, for `rows` filtered
    on `OuterRef(...)` through the field `per`. The outer query keeps its rows as they are (no join, no
    GROUP BY over its columns), and the planner counts only for the rows it returns."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)


# What a list row shows of its station (its name and code) and what scope checks read of it.
STATION_ROW_FIELDS = frozenset({"id", "code", "name", "county", "org_path", "status", "merged_into"})


def with_related(rows: QuerySet, path: str, keep) -> QuerySet:
    """`rows` with the object at `path` joined (select_related), fetching only the fields named in `keep`
    of it: a list's rows do not carry the profile of what they point to, whose columns cost transfer and
    decoding on every row. A field left out is still read on access, one query later."""
    model = rows.model
    for part in path.split("__"):
        model = model._meta.get_field(part).related_model
    narrow = [f"{path}__{f.name}" for f in model._meta.concrete_fields if f.name not in keep]
    return rows.select_related(path).defer(*narrow)


def with_station(rows: QuerySet, path: str = "workstation") -> QuerySet:
    """`rows` with their station joined: the fields a row shows (STATION_ROW_FIELDS), not its profile
    (addresses, approval, partner…)."""
    return with_related(rows, path, STATION_ROW_FIELDS)
