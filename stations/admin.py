"""Django admin: administrators only, reference data; the audit log is read-only there."""

from django.contrib import admin
from django.contrib.auth.models import Group
from django_otp.plugins.otp_totp.models import TOTPDevice

from .models import AuditEntry, OrgUnit
from .roles import has_capability, may_use_django_admin


def _admin_has_permission(request):
    return may_use_django_admin(request.user)


admin.site.has_permission = _admin_has_permission
# No back door around 三员分立 (AC-4): accounts, groups/permissions and second-factor devices (which
# show the TOTP secret) are not in the admin. Accounts are only changed through the account pages.
for _model in (Group, TOTPDevice):
    if admin.site.is_registered(_model):
        admin.site.unregister(_model)
admin.site.site_header = "关爱工作站 管理后台"
admin.site.site_title = "关爱工作站"


class CapabilityAdmin(admin.ModelAdmin):
    capability = "reference.manage"

    def has_module_permission(self, request):
        return has_capability(request.user, self.capability)

    def has_view_permission(self, request, obj=None):
        return has_capability(request.user, self.capability)

    def has_add_permission(self, request):
        return has_capability(request.user, self.capability)

    def has_change_permission(self, request, obj=None):
        return has_capability(request.user, self.capability)

    def has_delete_permission(self, request, obj=None):
        return False  # records are archived, never deleted by users


@admin.register(OrgUnit)
class OrgUnitAdmin(CapabilityAdmin):
    list_display = ["name", "kind", "code", "parent", "path"]
    list_filter = ["kind"]
    search_fields = ["name", "code"]


@admin.register(AuditEntry)
class AuditEntryAdmin(CapabilityAdmin):
    """Append-only: the admin offers neither change nor delete (AUD-3)."""

    capability = "audit.view"
    list_display = ["created_at", "actor_username", "role", "ip", "action", "object_repr", "result"]
    list_filter = ["action", "result"]
    search_fields = ["actor_username", "action", "object_repr", "object_id"]
    actions = None

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
