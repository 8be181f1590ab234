"""Database rules whose message belongs next to a field.

Django reports a failed CheckConstraint as a form-wide error; `FieldCheckConstraint` reports it on the
field the user must change, both in a ModelForm (which validates constraints) and in a service's
`full_clean()` (whose error dict the views place with `add_service_errors`). The database still refuses
the row whatever path wrote it.
"""

from django.core.exceptions import ValidationError
from django.db import DEFAULT_DB_ALIAS
from django.db.models import CheckConstraint


class FieldCheckConstraint(CheckConstraint):
    def __init__(self, *, field: str, **kwargs):
        super().__init__(**kwargs)
        self.field = field

    def validate(self, model, instance, exclude=None, using=DEFAULT_DB_ALIAS):
        try:
            super().validate(model, instance, exclude=exclude, using=using)
        except ValidationError as exc:
            raise ValidationError({self.field: exc}) from exc

    def deconstruct(self):
        path, args, kwargs = super().deconstruct()
        kwargs["field"] = self.field
        return path, args, kwargs

    def __eq__(self, other):
        return super().__eq__(other) and getattr(other, "field", None) == self.field
