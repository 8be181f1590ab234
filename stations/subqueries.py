"""Query expressions the apps share."""

from django.db.models import Count, IntegerField, QuerySet, Subquery
from django.db.models.functions import Coalesce


def count_of(rows: QuerySet, *, per: str) -> Coalesce:
    """How many of `rows` belong to each outer row, 0 for none: a correlated subquery, for `rows` filtered
    on `OuterRef(...)` through the field `per`. The outer query keeps its rows as they are (no join, no
    GROUP BY over its columns), and the planner counts only for the rows it returns."""
    counted = rows.order_by().values(per).annotate(n=Count("pk")).values("n")
    return Coalesce(Subquery(counted, output_field=IntegerField()), 0)
