"""Django admin: administrators only, reference data; the audit log is read-only there."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import Group
from django.db.models import Q
from django.utils.html import format_html_join
from django.utils.translation import gettext_lazy as _
from django_otp.plugins.otp_totp.models import TOTPDevice

from .audit.log import personal_object_types, present
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


class PresentedChangeList(ChangeList):
    """Masks the page's entries with one sealed-case query per model (stations.audit.log.present)."""

    def get_results(self, request):
        super().get_results(request)
        self.result_list = present(self.result_list)


@admin.register(AuditEntry)
class AuditEntryAdmin(CapabilityAdmin):
    """Append-only: the admin offers neither change nor delete (AUD-3).

    Rows and the detail page show entries as `stations.audit.log.present` masks them: minors' records by
    id, personal values masked, sealed cases without values (DATA-1, DATA-2).
    """

    capability = "audit.view"
    list_display = ["created_at", "actor_username", "role", "ip", "action", "shown_object", "result"]
    list_filter = ["action", "result"]
    search_fields = ["actor_username", "action", "object_repr", "object_id"]
    fields = [
        "created_at",
        "actor_username",
        "role",
        "ip",
        "action",
        "object_type",
        "object_id",
        "shown_object",
        "workstation_id_ref",
        "shown_changes",
        "result",
        "shown_reason",
        "prev_hash",
        "hash",
    ]
    readonly_fields = fields
    actions = None

    def get_changelist(self, request, **kwargs):
        return PresentedChangeList

    def get_search_results(self, request, queryset, search_term):
        # Minors' records are found by id, never by the (older, name-bearing) text of their entries.
        queryset, may_have_duplicates = super().get_search_results(request, queryset, search_term)
        if search_term:
            by_id = Q(object_id=search_term.strip()) | ~Q(object_type__in=personal_object_types())
            queryset = queryset.filter(
                by_id | Q(actor_username__icontains=search_term) | Q(action__icontains=search_term)
            )
        return queryset, may_have_duplicates

    def _presented(self, obj):
        if not hasattr(obj, "shown_changes"):
            present([obj])
        return obj

    @admin.display(description=_("对象"))
    def shown_object(self, obj):
        return self._presented(obj).shown_repr

    @admin.display(description=_("变更内容"))
    def shown_changes(self, obj):
        return format_html_join(
            "", "<div>{}</div>", ((f"{f}: {t}" if f else t,) for f, t in self._presented(obj).shown_changes)
        )

    @admin.display(description=_("事由"))
    def shown_reason(self, obj):
        return self._presented(obj).shown_reason

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
