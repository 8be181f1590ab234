"""Django admin: administrators only, reference data; the audit log is read-only there."""

from django.contrib import admin
from django.contrib.admin.views.main import ChangeList
from django.contrib.auth.models import Group
from django.core.exceptions import FieldDoesNotExist
from django.db import models
from django.db.models import Q
from django.utils.html import format_html, format_html_join
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


def _readable_column(model, name):
    """A list column as a Chinese reader reads it: 是/否 instead of Django's icons with the English alt
    text "True"/"False", stored codes as code. Other columns unchanged."""
    if not isinstance(name, str):
        return name
    try:
        field = model._meta.get_field(name)
    except FieldDoesNotExist:
        return name
    if isinstance(field, models.BooleanField):

        @admin.display(description=field.verbose_name, ordering=name)
        def yes_no(obj):
            return _("是") if getattr(obj, name) else _("否")

        return yes_no
    if name in CODE_COLUMNS:

        @admin.display(description=field.verbose_name, ordering=name)
        def code(obj):
            return format_html("<code>{}</code>", getattr(obj, name))

        return code
    return name


CODE_COLUMNS = {"code", "action", "object_type"}


class CapabilityAdmin(admin.ModelAdmin):
    capability = "reference.manage"

    def get_list_display(self, request):
        return [_readable_column(self.model, name) for name in super().get_list_display(request)]

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


def _change_html(change):
    """One shown change as on the audit log page: identifiers (keys without a field, structures) as code."""
    field, text = change
    wrap = "<code>{}</code>"
    text_html = format_html(wrap if getattr(change, "text_is_code", False) else "{}", text)
    if not field:
        return text_html
    return format_html(
        "{}: {}", format_html(wrap if getattr(change, "field_is_code", False) else "{}", field), text_html
    )


@admin.register(AuditEntry)
class AuditEntryAdmin(CapabilityAdmin):
    """Append-only: the admin offers neither change nor delete (AUD-3).

    Rows and the detail page show entries as `stations.audit.log.present` masks them: minors' records by
    id, personal values masked, sealed cases without values (DATA-1, DATA-2).
    """

    capability = "audit.view"
    list_display = ["created_at", "actor_username", "role", "ip", "action", "shown_object", "result"]
    list_filter = ["result"]  # actions are codes: searched (search box), not listed as a filter
    search_fields = ["actor_username", "action", "object_repr", "object_id"]
    fields = [
        "created_at",
        "actor_username",
        "role",
        "ip",
        "shown_action",
        "shown_object_type",
        "object_id",
        "shown_object",
        "workstation_id_ref",
        "shown_changes",
        "result",
        "shown_reason",
        "shown_prev_hash",
        "shown_hash",
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
        return format_html_join("", "<div>{}</div>", ((_change_html(c),) for c in self._presented(obj).shown_changes))

    @admin.display(description=_("操作"))
    def shown_action(self, obj):
        return format_html("<code>{}</code>", obj.action)

    @admin.display(description=_("对象类型"))
    def shown_object_type(self, obj):
        return format_html("<code>{}</code>", obj.object_type) if obj.object_type else ""

    @admin.display(description=_("前一条哈希"))
    def shown_prev_hash(self, obj):
        return format_html("<code>{}</code>", obj.prev_hash)

    @admin.display(description=_("本条哈希"))
    def shown_hash(self, obj):
        return format_html("<code>{}</code>", obj.hash)

    @admin.display(description=_("事由"))
    def shown_reason(self, obj):
        return self._presented(obj).shown_reason

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
