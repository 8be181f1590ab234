"""The access matrix's vocabulary. Each app lists its URLs in `<app>/tests/access.py` as ENTRIES.

An Entry says which roles may use a URL (`allowed`, as short role keys) and how to build the URL
for an object of a given side of the test world. The matrix then expects, for every role:
  anonymous → 302 to login; role not allowed → 403; allowed and in scope → `ok`;
  allowed but the object belongs to another city (side b: in scope only for the province officer)
  or another province (side z) → 404. `target(side)` must work for sides a, b and z.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL = frozenset({"staff", "head", "county", "city", "prov", "sys", "sec", "audit"})
STATION = frozenset({"staff", "head"})
SUPERVISORS = frozenset({"county", "city", "prov"})


@dataclass(frozen=True)
class Entry:
    allowed: frozenset
    # side → the object the URL is about (None: the URL has no object, so no out-of-scope case)
    target: Callable | None = None
    kwargs: Callable = lambda obj: {"pk": obj.pk}
    query: Callable = lambda obj: ""
    method: str = "get"
    data: Callable = lambda obj: {}
    ok: int = 200
    # roles that are allowed but see the object of side z anyway (e.g. reference data)
    out_of_scope_visible: frozenset = field(default_factory=frozenset)
    # roles for which side b's object is in scope: the province officer, or everyone for objects
    # that belong to the province itself (e.g. an award cycle)
    b_visible: frozenset = frozenset({"prov"})
