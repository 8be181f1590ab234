"""Every named URL × every role × {in scope, out of scope} against the expected status (AC-5)."""

from importlib import import_module

import pytest
from django.apps import apps
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from conftest import ROLE_KEYS
from tests.access import Entry

PUBLIC = {"login", "set_language"}
EXCLUDED_NAMESPACES = {"admin"}  # Django admin: tested apart in stations/tests/test_admin.py


def collect_entries() -> dict[str, Entry]:
    entries = {}
    for config in apps.get_app_configs():
        try:
            module = import_module(f"{config.name}.tests.access")
        except ModuleNotFoundError:
            continue
        overlap = entries.keys() & module.ENTRIES.keys()
        assert not overlap, f"URL names listed twice: {overlap}"
        entries.update(module.ENTRIES)
    return entries


def named_urls(resolver=None, namespace="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            ns = pattern.namespace
            if ns in EXCLUDED_NAMESPACES:
                continue
            names |= named_urls(pattern, f"{namespace}{ns}:" if ns else namespace)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(f"{namespace}{pattern.name}")
    return names


ENTRIES = collect_entries()
CASES = [(name, role) for name in sorted(ENTRIES) for role in [*ROLE_KEYS, "anonymous"]]


def test_every_named_url_has_an_entry():
    urls = named_urls()
    assert sorted(urls - ENTRIES.keys()) == [], "URLs without an access-matrix entry"
    assert sorted(ENTRIES.keys() - urls) == [], "entries for URLs that no longer exist"


def _request(client, entry: Entry, name: str, obj):
    url = reverse(name, kwargs=entry.kwargs(obj) if obj is not None else None) + (
        entry.query(obj) if obj is not None else ""
    )
    if entry.method == "post":
        return client.post(url, entry.data(obj))
    return client.get(url)


@pytest.mark.parametrize(("name", "role"), CASES)
def test_access(world, client, name, role):
    entry = ENTRIES[name]
    inside = entry.target(world.a) if entry.target else None
    if role == "anonymous":
        response = _request(client, entry, name, inside)
        if name in PUBLIC:
            assert response.status_code in (200, 302)
        else:
            assert response.status_code == 302
            assert response["Location"].startswith(reverse("login"))
        return
    client.force_login(world.user(role))
    response = _request(client, entry, name, inside)
    expected = entry.ok if role in entry.allowed else 403
    assert response.status_code == expected, f"{name} as {role} in scope"
    if entry.target is None:
        return
    # Side b: same province, another city, county and station (in scope only for the province).
    # Side z: another province (in scope for nobody).
    for side, in_scope_roles in ((world.b, entry.b_visible), (world.z, frozenset())):
        response = _request(client, entry, name, entry.target(side))
        if role not in entry.allowed:
            expected = 403
        elif role in in_scope_roles or role in entry.out_of_scope_visible:
            expected = entry.ok
        else:
            expected = 404
        assert response.status_code == expected, f"{name} as {role} on side {'b' if side is world.b else 'z'}"
