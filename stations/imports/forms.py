"""The upload form of every spreadsheet import."""

from django import forms
from django.utils.translation import gettext_lazy as _

from stations.forms import style_fields
from stations.uploads import CheckedFileField


class ImportFileForm(forms.Form):
    file = CheckedFileField(
        label=_("Excel 或 CSV 文件"), kind="table", help_text=_("xlsx 或 csv，不超过 5 MB、5000 行")
    )

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        style_fields(self)
