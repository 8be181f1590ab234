"""What the user's phone may keep offline: the pages of the registered kinds, chosen per user."""

from .registry import KINDS


def offline_pages(*, user) -> list[str]:
    pages = []
    for kind in KINDS.values():
        pages += kind.pages(user)
    return pages
