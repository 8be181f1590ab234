"""Login-failure lockout keyed on the account, not on the spelling typed (SECURITY AUTH-4).

Login finds the account ignoring case, surrounding spaces and full-width letters, so axes must
count every spelling against one key, or each spelling gets its own five guesses.
"""

import unicodedata

from axes.conf import settings  # the Django settings with axes' defaults filled in

from stations.models import User


def canonical_username(typed: str) -> str:
    """The account's stored username for any spelling that signs in to it; otherwise a folded form,
    so that unknown names share one counter per spelling family too."""
    # The same steps as the login form (strip, NFKC) and the same lookup as the backend (iexact).
    normalised = unicodedata.normalize("NFKC", str(typed)).strip()
    matches = list(User.objects.filter(username__iexact=normalised).values_list("username", flat=True)[:2])
    if len(matches) == 1:
        return matches[0]
    return normalised.casefold()


def lockout_username(request, credentials: dict | None) -> str | None:
    """AXES_USERNAME_CALLABLE: axes passes the credentials of an authentication attempt, or only the
    request (the POST of the login form)."""
    field = settings.AXES_USERNAME_FORM_FIELD
    if credentials:
        typed = credentials.get(field)
    else:
        typed = getattr(request, "data", request.POST).get(field) if request is not None else None
    if typed is None:
        return None
    return canonical_username(typed)
