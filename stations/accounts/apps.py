from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class AccountsConfig(AppConfig):
    """Sign-in security: second factor, password rules, lockout, sign-in audit: a model-less app in `stations`.

    It is an app so that its templates and tests live in this folder. The User model and the pages that
    administer accounts (roles, scope, one-time passwords) are the spine's (`stations.models`, `stations.views`).
    """

    name = "stations.accounts"
    label = "stations_accounts"
    verbose_name = _("登录与账户安全")
    home_panels = ["stations.accounts.panels.locked_accounts_panel"]

    def ready(self):
        from . import signals  # noqa: F401  (sign-in events go to the audit log)
