"""The navbar's unread count: one indexed count per rendered page, none for anonymous visitors."""

from django.utils.functional import SimpleLazyObject

from . import selectors


def unread_notifications(request):
    user = getattr(request, "user", None)
    if user is None or not user.is_authenticated:
        return {}
    # Lazy: pages that do not render the navbar (partials, errors) do not ask.
    return {"unread_notifications": SimpleLazyObject(lambda: selectors.unread_count(user=user))}
