"""The audit-coverage registry's vocabulary (SECURITY AUD-2).

Each app lists its audited actions in `<app>/tests/audit_actions.py` as CASES: action → a function
`(world, client) -> Expect` that performs the action as a user would (through the real URL and view,
or the management command an operator runs) and says which entry it must leave.
"""

from dataclasses import dataclass

from django.urls import reverse


@dataclass
class Expect:
    actor: object | None  # the signed-in user; None for a refused sign-in or a management command
    obj: object | None = None  # the object the entry names (its id is compared); None: no object
    result: str = "ok"
    username: str = ""  # actor_username when there is no actor


def post(client, user, name, kwargs=None, data=None, *, expect=(302,)):
    """POST `data` to the named URL as `user`; the answer must be a success (a redirect by default).
    An irreversible step is posted as confirmed (`confirm=1`): these tests are about the audit entry;
    what the confirmation asks is tested with each step."""
    client.force_login(user)
    response = client.post(reverse(name, kwargs=kwargs), {"confirm": "1", **(data or {})})
    assert response.status_code in expect, (name, response.status_code, _errors(response))
    return response


def get(client, user, name, kwargs=None, query="", *, expect=(200,)):
    client.force_login(user)
    response = client.get(reverse(name, kwargs=kwargs) + query)
    assert response.status_code in expect, (name, response.status_code)
    return response


def _errors(response) -> str:
    found = []
    for context in response.context or []:
        for value in context.flatten().values() if hasattr(context, "flatten") else []:
            if getattr(value, "errors", None) and hasattr(value, "is_bound"):
                found.append(value.errors.as_json())
    return "; ".join(dict.fromkeys(found))
