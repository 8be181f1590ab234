"""The access matrix's vocabulary. Each app lists its URLs in `<app>/tests/access.py` as ENTRIES.

An Entry says which roles may use a URL (`allowed`, as short role keys) and how to build the URL
for an object of a given side of the test world. The matrix's world has five sides:
  a  the users' own station (every role of side a has an account);
  s  a neighbour station in a's county;   c  a neighbour county (with its station) in a's city;
  b  another city of a's province;        z  another province.
For every role the matrix then expects: anonymous → 302 to login; role not allowed → 403;
allowed and the side's object in the role's unit → `ok`; allowed but outside → 404.
Whether an object is inside a role's unit follows from the object's `level` (the unit that owns it):
  "station"  (default) the side's workstation owns it: a county officer sees side s, not side c;
  "county"   the side's county owns it (an inspection round): station roles see side s's too;
  "province" the province owns it (an award cycle): every side but z is the same province's;
  "own"      the object is one user's own (an export job): no other side's object is visible.
`target(side)` must work for every side.

Every view that accepts POST is also tried with POST on every other side's object it must not
see (`post` data, or `data` when `method` is "post"): the answer must be 404 (403 for a role
without the capability) and the database must be unchanged. The same data posted on the own
object must succeed with `post_ok` and change something, so the probe's data is known to be
data that would have changed the neighbour's object had the scope check been missing.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

ALL = frozenset({"staff", "head", "county", "city", "prov", "sys", "sec", "audit"})
STATION = frozenset({"staff", "head"})
SUPERVISORS = frozenset({"county", "city", "prov"})
LEVELS = ("province", "city", "county", "station")


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
    # roles that are allowed but see every side's object anyway (e.g. installation-wide accounts)
    out_of_scope_visible: frozenset = field(default_factory=frozenset)
    # the unit that owns the target: "station", "county", "province" or "own" (see above)
    level: str = "station"
    # data for the POST probe of a view whose matrix request is a GET (None: the view takes no POST)
    post: Callable | None = None
    post_ok: int = 302
    # roles whose POST is allowed, when fewer than those who may GET (None: the same as `allowed`);
    # the others get 403 for every POST, in scope or not
    post_allowed: frozenset | None = None
    # False when the probe's data cannot succeed even in scope (said why at the entry)
    post_changes: bool = True
    # True when the object's id travels in the POST data, not in the URL (the GET page has no object)
    object_in_post: bool = False

    def post_data(self) -> Callable | None:
        return self.data if self.method == "post" else self.post

    def may_post(self, role: str) -> bool:
        return role in (self.allowed if self.post_allowed is None else self.post_allowed)


def today() -> str:
    from django.utils import timezone

    return timezone.localdate().isoformat()


def form_data(instance, fields, **changes) -> dict:
    """An edit form's data as the page would post it back: the instance's values, then `changes`."""
    from django.db.models import Model
    from django.forms.models import model_to_dict

    data = {}
    for name, value in model_to_dict(instance, fields=fields).items():
        if value is None:
            value = ""
        elif isinstance(value, list | tuple):
            value = [item.pk if isinstance(item, Model) else item for item in value]
        elif isinstance(value, Model):
            value = value.pk
        elif hasattr(value, "isoformat"):
            value = value.isoformat()
        if value is True:
            value = "on"
        elif value is False:
            continue
        data[name] = value
    data.update(changes)
    return data
