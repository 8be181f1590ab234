"""Django admin: the administrator extends the activity types (reference data)."""

from django.contrib import admin

from stations.admin import CapabilityAdmin

from .models import ActivityType


@admin.register(ActivityType)
class ActivityTypeAdmin(CapabilityAdmin):
    capability = "reference.manage"
    list_display = ["name", "code", "system", "form_kind", "service_kind", "order", "is_active"]
    list_filter = ["system", "is_active"]
    search_fields = ["name", "code"]
    ordering = ["order", "pk"]
