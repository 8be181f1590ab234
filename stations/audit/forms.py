"""The audit log's filter form (the page and the export read the same filters)."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.forms import BootstrapFormMixin, DateInput


class AuditFilterForm(BootstrapFormMixin, forms.Form):
    actor = forms.CharField(label=_("操作人"), required=False, max_length=150)
    action = forms.CharField(label=_("操作"), required=False, max_length=60)
    object = forms.CharField(label=_("对象"), required=False, max_length=100)
    start = forms.DateField(label=_("起始日期"), required=False, widget=DateInput())
    end = forms.DateField(label=_("截止日期"), required=False, widget=DateInput())
    with_reason = forms.BooleanField(label=_("仅看填写了事由的"), required=False)
