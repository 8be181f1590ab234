"""View mixins: capability (403) check, no-store for pages with personal data.

Scope (404) is not a mixin: views fetch objects through their app's selectors, which call
`stations.scoping` (docs/extending.md)."""

from functools import lru_cache

from django.contrib.auth.mixins import LoginRequiredMixin
from django.urls import get_script_prefix, resolve, reverse
from django.utils.cache import add_never_cache_headers

from .roles import has_capability, require


class CapabilityRequired(LoginRequiredMixin):
    """A missing capability is a 403 (AC-2). Set `capability` on the view."""

    capability: str = ""

    def get_capability(self) -> str:
        return self.capability

    def dispatch(self, request, *args, **kwargs):
        if not request.user.is_authenticated:
            return self.handle_no_permission()
        require(request.user, self.get_capability())
        return super().dispatch(request, *args, **kwargs)


def may_open(user, url_name: str, *args) -> bool:
    """Whether the capability of the view behind `url_name` lets the user in: a page offers a link only
    when it does not end in a 403."""
    capability = _view_capabilities.get(url_name)
    if capability is None:  # the view behind a name does not change while the process runs
        view_class = getattr(resolve(reverse(url_name, args=args)).func, "view_class", None)
        capability = _view_capabilities[url_name] = getattr(view_class, "capability", "")
    return not capability or has_capability(user, capability)


_view_capabilities: dict[str, str] = {}


def reverse_plain(url_name: str) -> str:
    """`reverse(url_name)` of a URL without arguments, kept per process and script prefix: a dashboard links
    each of its hundreds of cells to one of a dozen lists."""
    return _reverse_plain(url_name, get_script_prefix())


@lru_cache(maxsize=256)
def _reverse_plain(url_name: str, _prefix: str) -> str:
    return reverse(url_name)


class NoStore:
    """Personal data must not stay in browser or proxy caches (DATA-6)."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response
