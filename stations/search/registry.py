"""The search groups: what each app contributes to the header search, and how a group is shaped.

An app names `(capability, "<app>.search.function")` pairs in `search_groups` on its AppConfig; the
function `(user, term)` runs only for users with the capability and returns a `Group`. It runs the
kind's own list filter (`<FilterSet>({"q": term})` over the list's scoped selector), so the group's
"更多" link (the list with `?q=term`) shows the same rows, masked and sealed as the list is.
"""

from dataclasses import dataclass, field
from functools import cache

from django.apps import apps
from django.utils.http import urlencode
from django.utils.module_loading import import_string

from stations.roles import has_capability

GROUP_LIMIT = 10  # rows shown per kind; "更多" opens the kind's list with the same text filter
MIN_LENGTH = 1  # one character: a Chinese surname is a real query (docs/decisions.md 2026-12-04)
MAX_LENGTH = 50  # as the lists' `q` filters
# Free text of the large tables (400k activities) is searched from this length on: the trigram index
# serves three characters or more; shorter terms would scan the table (docs/decisions.md 2026-12-04).
TRIGRAM_LENGTH = 3


@dataclass
class Row:
    title: str
    url: str
    detail: str = ""


@dataclass
class Group:
    kind: str
    label: str
    rows: list[Row] = field(default_factory=list)
    more_url: str = ""  # set when there are more than GROUP_LIMIT rows
    note: str = ""  # why the group was not searched (a term too short for its index)


def take(queryset, limit: int = GROUP_LIMIT) -> tuple[list, bool]:
    """The first `limit` rows and whether there are more (one query, no count over the province)."""
    rows = list(queryset[: limit + 1])
    return rows[:limit], len(rows) > limit


def more_url(list_url: str, term: str) -> str:
    return f"{list_url}?{urlencode({'q': term})}"


@cache
def group_functions() -> tuple:
    configs = sorted(apps.get_app_configs(), key=lambda c: getattr(c, "nav_order", 100))
    return tuple(
        (capability, import_string(path))
        for config in configs
        for capability, path in getattr(config, "search_groups", ())
    )


def search(*, user, term: str) -> list[Group]:
    term = (term or "").strip()[:MAX_LENGTH]
    if len(term) < MIN_LENGTH:
        return []
    return [function(user, term) for capability, function in group_functions() if has_capability(user, capability)]


def searchable(user) -> bool:
    """Whether the user may see any kind the search covers (the header box and the page are for them)."""
    return any(has_capability(user, capability) for capability, _function in group_functions())
