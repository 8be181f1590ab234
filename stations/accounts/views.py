"""The password-change page (the second-factor pages are in `mfa.py`)."""

from django.contrib.auth import views as auth_views

from stations import services

from .middleware import password_expired


class PasswordChange(auth_views.PasswordChangeView):
    template_name = "registration/password_change_form.html"

    def get_context_data(self, **kwargs):
        return super().get_context_data(forced=password_expired(self.request.user), **kwargs)

    def form_valid(self, form):
        response = super().form_valid(form)
        services.password_changed_by_user(user=self.request.user, session_key=self.request.session.session_key)
        return response
