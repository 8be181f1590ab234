"""Form rendering helpers: every error listed at the top, a collapsed section with an errored field open."""

from django import template

register = template.Library()


@register.filter
def has_errors(form, names: str) -> bool:
    """`{% if form|has_errors:"school,lecturer" %}`: does any of these fields carry an error?"""
    errors = getattr(form, "errors", None) or {}
    return any(name.strip() in errors for name in names.split(","))


@register.filter
def error_fields(form) -> list:
    """The bound fields of `form` that carry an error, in the form's order."""
    return [field for field in form if field.errors]
