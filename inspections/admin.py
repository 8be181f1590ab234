"""Admin for the system administrator: checklist templates (versioned) and the 六有 item sets."""

from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Max
from django.forms.models import BaseInlineFormSet
from django.utils.translation import gettext_lazy as _

from stations.admin import CapabilityAdmin
from stations.audit.log import audit

from .models import ChecklistTemplate, HaveItemSet, TemplateItem


class LabelledInlineFormSet(BaseInlineFormSet):
    """The row's 删除 box is named too (it has no <label> in a tabular inline)."""

    def add_fields(self, form, index):
        super().add_fields(form, index)
        if "DELETE" in form.fields:
            form.fields["DELETE"].widget.attrs["aria-label"] = str(_("删除"))


class TemplateItemInline(admin.TabularInline):
    model = TemplateItem
    formset = LabelledInlineFormSet
    extra = 0
    fields = [
        "order",
        "code",
        "section",
        "text",
        "kind",
        "max_points",
        "unit",
        "target",
        "figure_key",
        "terms",
        "evidence_required",
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        """A table row's inputs sit under the column headers, with no <label>: name each for assistive
        technology (the axe test: "Form elements must have labels")."""
        field = super().formfield_for_dbfield(db_field, request, **kwargs)
        if field is not None:
            field.widget.attrs.setdefault("aria-label", str(db_field.verbose_name))
        return field

    def has_add_permission(self, request, obj=None):
        return obj is None or not obj.in_use

    def has_change_permission(self, request, obj=None):
        return obj is None or not obj.in_use

    def has_delete_permission(self, request, obj=None):
        return obj is None or not obj.in_use


@admin.register(ChecklistTemplate)
class ChecklistTemplateAdmin(CapabilityAdmin):
    """A template used by an inspection is frozen; the administrator copies it as a new version."""

    list_display = ["name", "province", "year", "version", "is_active", "bonus_cap"]
    list_filter = ["year", "is_active"]
    search_fields = ["name"]
    inlines = [TemplateItemInline]
    actions = ["copy_as_new_version"]

    def get_readonly_fields(self, request, obj=None):
        if obj is not None and obj.in_use:
            return ["province", "year", "version", "name", "bonus_cap", "grades"]
        return []

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(
            actor=request.user, action="checklist_template.save", obj=obj, changes={"fields": [None, form.changed_data]}
        )

    @admin.action(description=_("复制为新版本"))
    @transaction.atomic
    def copy_as_new_version(self, request, queryset):
        for template in queryset:
            items = list(template.items.all())
            latest = ChecklistTemplate.objects.filter(province=template.province, year=template.year).aggregate(
                v=Max("version")
            )["v"]
            template.pk = None
            template.version = latest + 1
            template.save()
            for item in items:
                item.pk = None
                item.template = template
                item.save()
            audit(
                actor=request.user,
                action="checklist_template.copy",
                obj=template,
                changes={"version": [None, template.version]},
            )
        messages.success(request, _("已复制为新版本"))


@admin.register(HaveItemSet)
class HaveItemSetAdmin(CapabilityAdmin):
    list_display = ["name", "province", "year"]
    list_filter = ["year"]

    def save_model(self, request, obj, form, change):
        super().save_model(request, obj, form, change)
        audit(actor=request.user, action="have_item_set.save", obj=obj, changes={"items": [None, obj.items]})
