"""View mixins: capability (403) and scope (404) checks, no-store for pages with personal data."""

from django.contrib.auth.mixins import LoginRequiredMixin
from django.utils.cache import add_never_cache_headers

from .roles import require
from .scoping import ScopedQuerysetMixin


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


class NoStore:
    """Personal data must not stay in browser or proxy caches (DATA-6)."""

    def dispatch(self, request, *args, **kwargs):
        response = super().dispatch(request, *args, **kwargs)
        add_never_cache_headers(response)
        response["Cache-Control"] = "no-store, no-cache, must-revalidate, private, max-age=0"
        return response


class ScopedObjectMixin(ScopedQuerysetMixin):
    """Alias used by detail/edit views: the object is fetched through `visible_to`."""


class ScopedFormKwargsMixin:
    """Passes the user into scope-aware forms (`ScopedFormMixin`)."""

    def get_form_kwargs(self):
        kwargs = super().get_form_kwargs()
        kwargs["user"] = self.request.user
        return kwargs
