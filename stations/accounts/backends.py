"""The account backend: Django's, with the signed-in user's station or unit fetched with the user.

Every page shows the user's scope in the navigation bar (`User.scope_label`), and the scope rules read the
station's or unit's path: fetched with the user, that is one query per request less (issue 15 §4).
"""

from django.contrib.auth.backends import ModelBackend as DjangoModelBackend
from django.contrib.auth.backends import UserModel


class ModelBackend(DjangoModelBackend):
    def get_user(self, user_id):
        try:
            user = UserModel._default_manager.select_related("workstation", "org_unit").get(pk=user_id)
        except UserModel.DoesNotExist:
            return None
        return user if self.user_can_authenticate(user) else None
