"""The project's widget templates (templates/django/forms/widgets/, FORM_RENDERER) write options and
attributes inline for speed: the HTML must be Django's own, byte for byte, for every widget kind they touch."""

import pytest
from django import forms
from django.forms.renderers import DjangoTemplates, get_default_renderer

GROUPED = [
    ("公安", [("police", "民警"), ("auxiliary", "辅警")]),
    ("社会", [("teacher", "教师 <校外>")]),
    ("", "未分组"),
]


class EveryWidget(forms.Form):
    name = forms.CharField(widget=forms.TextInput(attrs={"class": "form-control", "placeholder": '姓名、"别名"'}))
    count = forms.IntegerField(min_value=0, required=False)
    day = forms.DateField(widget=forms.DateInput(attrs={"type": "date", "max": "2026-12-31"}))
    hidden = forms.CharField(widget=forms.HiddenInput, required=False)
    agree = forms.BooleanField(required=False)
    kind = forms.ChoiceField(choices=[("", "全部"), ("a", "甲"), ("b", "乙 & 丙")], required=False)
    grouped = forms.ChoiceField(choices=GROUPED, required=False, widget=forms.Select(attrs={"disabled": True}))
    many = forms.MultipleChoiceField(choices=[("1", "一"), ("2", "二"), ("3", "三")], required=False)
    boxes = forms.MultipleChoiceField(
        choices=GROUPED, required=False, widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"})
    )
    radio = forms.ChoiceField(choices=[("x", "是"), ("y", "否")], widget=forms.RadioSelect, required=False)


@pytest.mark.parametrize(
    "data",
    [
        None,
        {
            "name": "王<b>",
            "count": "3",
            "day": "2026-01-02",
            "agree": "on",
            "kind": "b",
            "grouped": "teacher",
            "many": ["1", "3"],
            "boxes": ["police", "teacher"],
            "radio": "y",
            "hidden": 'h"1',
        },
    ],
    ids=["empty", "filled"],
)
def test_every_widget_renders_as_django_renders_it(data):
    assert not isinstance(get_default_renderer(), DjangoTemplates)  # the project's renderer is the one in use
    ours = EveryWidget(data=data)
    django_own = EveryWidget(data=data, renderer=DjangoTemplates())
    for name in EveryWidget.base_fields:
        assert str(ours[name]) == str(django_own[name]), name
        for ours_choice, django_choice in zip(ours[name], django_own[name], strict=True):  # {% for c in field %}
            assert ours_choice.tag() == django_choice.tag(), name
