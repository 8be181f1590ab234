"""The kinds of offline entry. Each app that owns a quick-entry page registers its kind here (in its
`AppConfig.ready`): how to apply an entry with the page's own form and service, and which pages of that
kind the user's phone may keep."""

from collections.abc import Callable
from dataclasses import dataclass

from django.core.exceptions import ValidationError


@dataclass(frozen=True)
class Applied:
    """A saved entry: the record made and the message the online page would have shown."""

    object_id: int | None
    message: str


class Refused(ValidationError):
    """The entry failed the form or the service: field errors in Chinese, the entry stays editable."""

    def __init__(self, form_or_errors, **kwargs):
        if hasattr(form_or_errors, "errors"):
            form = form_or_errors
            errors = {}
            for name, messages in form.errors.items():
                label = form.fields[name].label if name in form.fields else ""
                errors[name] = [f"{label}：{m}" if label else m for m in messages]
        else:
            errors = form_or_errors
        super().__init__(errors, **kwargs)


class Conflict(Exception):
    """Someone else changed the same thing since the device took its copy: the user chooses."""

    def __init__(self, *, version: int, current: dict):
        super().__init__(f"conflict at version {version}")
        self.version = version
        self.current = current


@dataclass(frozen=True)
class Kind:
    name: str
    capability: str
    # (actor, object id from the page, the form's fields as a QueryDict, base version) -> Applied;
    # raises Http404 (out of scope), PermissionDenied, Refused/ValidationError or Conflict
    apply: Callable
    # user -> the page URLs of this kind the user's phone may keep offline
    pages: Callable


KINDS: dict[str, Kind] = {}


def register(kind: Kind) -> None:
    KINDS[kind.name] = kind
