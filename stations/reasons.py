"""Reasons that unlock a minor's full file, sealed content or a named export (DOMAIN §7.3, §7.5, §7.7;
SECURITY DATA-2): a reason from the list chosen for each use plus details of a minimum length. The
form and the services use the same check; the audit entry keeps the code and the details."""

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .forms import BootstrapFormMixin, clean_text

MAX_DETAILS = 200


class AccessReason(models.TextChoices):
    INSPECTION = "inspection", gettext_lazy("督查核查")
    CASE_HANDLING = "case_handling", gettext_lazy("案件办理需要")
    HOME_VISIT = "home_visit", gettext_lazy("家庭走访准备")
    HANDOVER = "handover", gettext_lazy("帮教工作交接")
    LEGAL_QUERY = "legal_query", gettext_lazy("法定查询程序")
    STATISTICS_CHECK = "statistics_check", gettext_lazy("统计数据核对")


class Purpose(models.TextChoices):
    FULL_FILE = "full_file", gettext_lazy("查阅完整档案")
    SEALED = "sealed", gettext_lazy("查阅封存档案")
    NAMED_EXPORT = "named_export", gettext_lazy("导出实名名单")


# Sealed records only within the legal query procedure or for handling a case (2022 sealing measures).
REASONS = {
    Purpose.FULL_FILE: (
        AccessReason.INSPECTION,
        AccessReason.CASE_HANDLING,
        AccessReason.HOME_VISIT,
        AccessReason.HANDOVER,
    ),
    Purpose.SEALED: (AccessReason.LEGAL_QUERY, AccessReason.CASE_HANDLING),
    Purpose.NAMED_EXPORT: (
        AccessReason.INSPECTION,
        AccessReason.STATISTICS_CHECK,
        AccessReason.HANDOVER,
        AccessReason.CASE_HANDLING,
    ),
}


def min_details() -> int:
    return settings.ACCESS_REASON_MIN_DETAILS


def _details_error(details: str) -> str | None:
    length = len("".join(details.split()))
    if length < min_details():
        return _("请具体说明事由（至少 %(n)d 个字，如案件编号、督查任务或走访安排），目前 %(m)d 个字。") % {
            "n": min_details(),
            "m": length,
        }
    return None


def check_reason(purpose: str, code: str, details: str) -> str:
    """The audit text "<reason>：<details>"; ValidationError naming the field otherwise."""
    details = clean_text(details)
    errors = {}
    if code not in REASONS[Purpose(purpose)]:
        errors["reason_code"] = _("请从列表中选择事由")
    if message := _details_error(details):
        errors["reason"] = message
    if errors:
        raise ValidationError(errors)
    return f"{AccessReason(code).label}：{details}"[:300]


class AccessReasonForm(BootstrapFormMixin, forms.Form):
    """The one form wherever a reason unlocks a minor's data; `purpose` picks the list of reasons."""

    reason_code = forms.ChoiceField(label=gettext_lazy("事由"))
    reason = forms.CharField(
        label=gettext_lazy("具体说明"),
        max_length=MAX_DETAILS,
        widget=forms.Textarea(attrs={"rows": 2}),
    )

    def __init__(self, *args, purpose: str, **kwargs):
        super().__init__(*args, **kwargs)
        self.purpose = Purpose(purpose)
        self.fields["reason_code"].choices = [("", "---------")] + [(r.value, r.label) for r in REASONS[self.purpose]]
        self.fields["reason"].help_text = _("至少 %(n)d 个字，写明案件编号、督查任务或走访安排等") % {
            "n": min_details()
        }

    def clean_reason(self):
        details = clean_text(self.cleaned_data["reason"])
        if message := _details_error(details):
            raise ValidationError(message)
        return details

    @property
    def code(self) -> str:
        return self.cleaned_data["reason_code"]

    @property
    def audit_text(self) -> str:
        return check_reason(self.purpose, self.cleaned_data["reason_code"], self.cleaned_data["reason"])
