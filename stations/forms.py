"""Forms of the stations app: validation of user input, scope-aware choice fields."""

import re

from django import forms
from django.contrib.auth.password_validation import validate_password
from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .models import OrgKind, OrgUnit, StationStatus, User, Workstation, WorkSystem
from .phones import normalise_phone
from .scoping import ScopedFormMixin
from .services import PROFILE_FIELDS
from .uploads import CheckedFileField, CheckedImageField

CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f]")


def clean_text(value: str) -> str:
    """Strip control characters (IN-2) and surrounding space."""
    return CONTROL_CHARS.sub("", value or "").strip()


def add_service_errors(form, exc: ValidationError) -> None:
    """Show a service's ValidationError next to the fields it names (else above the form)."""
    if hasattr(exc, "error_dict"):
        for field, errors in exc.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, exc)


class CleanTextMixin:
    """Every CharField is stripped of control characters."""

    def clean(self):
        cleaned = super().clean()
        for name, value in list(cleaned.items()):
            if isinstance(value, str):
                cleaned[name] = clean_text(value)
        return cleaned


def style_fields(form) -> None:
    """Bootstrap classes on every widget of `form`, so templates render fields as they are (no inline
    styles: CSP). The one styling helper of the project: forms inherit `BootstrapFormMixin`, and a form
    that adds fields after its own `__init__` calls this again at the end."""
    for field in form.fields.values():
        widget = field.widget
        if isinstance(widget, forms.HiddenInput):
            continue
        if isinstance(widget, forms.CheckboxInput | forms.RadioSelect):  # RadioSelect: also checkbox lists
            css = "form-check-input"
        elif isinstance(widget, forms.Select):  # and SelectMultiple
            css = "form-select"
        else:
            css = "form-control"
        classes = widget.attrs.get("class", "").split()
        if css not in classes:
            widget.attrs["class"] = " ".join([*classes, css])


class BootstrapFormMixin:
    """Bootstrap classes on every widget (see `style_fields`)."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)


class DateInput(forms.DateInput):
    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class WorkstationForm(BootstrapFormMixin, CleanTextMixin, ScopedFormMixin, forms.ModelForm):
    version = forms.IntegerField(widget=forms.HiddenInput, required=False)

    class Meta:
        model = Workstation
        fields = ["code", "county", *PROFILE_FIELDS]
        widgets = {
            "partner_since": DateInput(),
            "established_on": DateInput(),
        }
        field_classes = {"logo_photo": CheckedImageField}

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["county"].queryset = self.fields["county"].queryset.filter(kind=OrgKind.COUNTY)
        if not creating:
            del self.fields["code"]
            del self.fields["county"]
            self.fields["version"].initial = self.instance.version

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        today = timezone.localdate()
        for name in ("established_on", "partner_since"):
            if cleaned.get(name) and cleaned[name] > today:
                self.add_error(name, _("日期不能晚于今天"))
        if cleaned.get("partner_name") and not cleaned.get("partner_type"):
            self.add_error("partner_type", _("填写了共建单位时请选择共建类型"))
        return cleaned

    def _post_clean(self):
        # The service runs full_clean with the version check; here only field-level validation.
        pass


class WorkstationStatusForm(BootstrapFormMixin, CleanTextMixin, ScopedFormMixin, forms.Form):
    status = forms.ChoiceField(label=_("新状态"), choices=StationStatus.choices)
    changed_on = forms.DateField(label=_("生效日期"), widget=DateInput())
    approving_unit = forms.CharField(label=_("批准单位"), max_length=100, required=False)
    approval_doc_no = forms.CharField(label=_("批准文号"), max_length=60, required=False)
    approval_date = forms.DateField(label=_("批准日期"), required=False, widget=DateInput())
    merged_into = forms.ModelChoiceField(
        label=_("并入工作站"), queryset=Workstation.objects.filter(status=StationStatus.ACTIVE), required=False
    )
    reason = forms.CharField(label=_("原因说明"), max_length=300, widget=forms.Textarea(attrs={"rows": 3}))

    def __init__(self, *args, station: Workstation, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["merged_into"].queryset = self.fields["merged_into"].queryset.exclude(pk=station.pk)
        self.fields["changed_on"].initial = timezone.localdate()

    def clean(self):
        cleaned = super().clean()
        status = cleaned.get("status")
        if status in (StationStatus.EXEMPT, StationStatus.DEFERRED):
            for name in ("approving_unit", "approval_doc_no", "approval_date"):
                if not cleaned.get(name):
                    self.add_error(name, _("不建或缓建须经上级批准，请填写此项"))
        if status == StationStatus.MERGED and not cleaned.get("merged_into"):
            self.add_error("merged_into", _("请选择并入的工作站"))
        if cleaned.get("changed_on") and cleaned["changed_on"] > timezone.localdate():
            self.add_error("changed_on", _("日期不能晚于今天"))
        return cleaned


class SystemDocumentForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    system = forms.ChoiceField(label=_("制度"), choices=WorkSystem.choices)
    document = CheckedFileField(label=_("制度文件"), required=False)
    note = forms.CharField(label=_("说明"), max_length=200, required=False)
    remove = forms.BooleanField(label=_("标记为缺失（删除文件）"), required=False)


class FundingForm(BootstrapFormMixin, CleanTextMixin, forms.Form):
    year = forms.IntegerField(label=_("年度"), min_value=2000, max_value=2100)
    amount_yuan = forms.DecimalField(label=_("金额（元）"), min_value=0, max_digits=12, decimal_places=2)
    source = forms.CharField(label=_("来源"), max_length=100, required=False)

    def clean_year(self):
        year = self.cleaned_data["year"]
        if year > timezone.localdate().year:
            raise ValidationError(_("年度不能晚于今年"))
        return year


class ExactFieldsMixin:
    """Refuse a POST carrying fields the form does not offer (a hidden `role`, `is_superuser` …).

    Django would ignore them silently; here they are a visible refusal and nothing is saved (AC-4, AC-6).
    """

    # `confirm` is the confirmation step's own field (stations/confirm.py); no form saves it
    ALWAYS_ALLOWED = frozenset({"csrfmiddlewaretoken", "confirm"})

    def clean(self):
        cleaned = super().clean()
        if self.is_bound:
            extra = sorted(set(self.data) - set(self.fields) - self.ALWAYS_ALLOWED)
            if extra:
                raise ValidationError(
                    _("表单包含不允许修改的字段：%(fields)s。") % {"fields": "、".join(extra)}, code="extra_fields"
                )
        return cleaned


class OneTimePasswordField(forms.CharField):
    def __init__(self, **kwargs):
        super().__init__(
            label=_("一次性密码"),
            required=False,
            max_length=128,
            strip=False,
            widget=forms.PasswordInput(render_value=False, attrs={"autocomplete": "new-password"}),
            help_text=_("留空则由系统生成。用户只能用它登录一次并设置自己的密码，过期须重新申请。"),
            **kwargs,
        )


def _validate_one_time_password(form, candidate: User) -> None:
    password = form.cleaned_data.get("password")
    if password:
        try:
            validate_password(password, candidate)
        except ValidationError as exc:
            form.add_error("password", exc)


class AccountForm(ExactFieldsMixin, BootstrapFormMixin, CleanTextMixin, forms.ModelForm):
    """The system administrator's part: who the person is. No role, no scope (the security administrator's)."""

    class Meta:
        model = User
        fields = ["username", "last_name", "first_name", "phone", "is_active"]

    def __init__(self, *args, creating: bool = False, **kwargs):
        super().__init__(*args, **kwargs)
        if creating:
            del self.fields["is_active"]
            self.fields["password"] = OneTimePasswordField()

    def clean_phone(self):
        return normalise_phone(self.cleaned_data.get("phone", ""))

    def clean(self):
        cleaned = super().clean()
        if "password" in self.fields:
            candidate = User(**{name: cleaned.get(name) or "" for name in ("username", "first_name", "last_name")})
            _validate_one_time_password(self, candidate)
        return cleaned

    def _post_clean(self):
        # Only field validation here: the service runs full_clean on the account it builds.
        pass


class PasswordResetForm(ExactFieldsMixin, BootstrapFormMixin, forms.Form):
    """The system administrator sets a one-time password for someone else's account."""

    password = OneTimePasswordField()

    def __init__(self, *args, account: User, **kwargs):
        self.account = account
        super().__init__(*args, **kwargs)

    def clean(self):
        cleaned = super().clean()
        _validate_one_time_password(self, self.account)
        return cleaned


class RoleForm(ExactFieldsMixin, BootstrapFormMixin, ScopedFormMixin, forms.Form):
    """The security administrator's part: a non-administrator role and the scope that fits it."""

    role = forms.ChoiceField(label=_("角色"), required=False)
    workstation = forms.ModelChoiceField(
        label=_("所属工作站"), queryset=Workstation.objects.order_by("org_path", "code"), required=False
    )
    org_unit = forms.ModelChoiceField(
        label=_("所属机构"), queryset=OrgUnit.objects.exclude(kind=OrgKind.SYSTEM), required=False
    )

    def __init__(self, *args, **kwargs):
        from .roles import ASSIGNABLE_ROLES

        super().__init__(*args, **kwargs)
        self.fields["role"].choices = [("", _("（无角色）")), *((role.value, role.label) for role in ASSIGNABLE_ROLES)]
        self.fields["workstation"].help_text = _("站内录入员、站长填写")
        self.fields["org_unit"].help_text = _("县、市、省级关工委填写对应层级的机构")
