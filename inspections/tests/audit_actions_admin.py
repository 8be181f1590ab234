"""Audited actions of the inspections admin (system administrator), merged into audit_actions.CASES."""

from html.parser import HTMLParser

from django.urls import reverse

from inspections.models import ChecklistTemplate, HaveItemSet
from tests.audit_support import Expect


class _FormData(HTMLParser):
    """The data a browser would post back from a page's form, unchanged."""

    def __init__(self):
        super().__init__()
        self.data, self._select, self._textarea = {}, None, None

    def handle_starttag(self, tag, attrs):
        a = dict(attrs)
        name = a.get("name")
        if tag == "input" and name and a.get("type") not in ("submit", "button", "file"):
            if a.get("type") in ("checkbox", "radio") and "checked" not in a:
                return
            self.data.setdefault(name, []).append(a.get("value", "on" if a.get("type") == "checkbox" else ""))
        elif tag == "select" and name:
            self._select = name
        elif tag == "option" and self._select and "selected" in a:
            self.data.setdefault(self._select, []).append(a.get("value", ""))
        elif tag == "textarea" and name:
            self._textarea = name
            self.data[name] = [""]

    def handle_data(self, data):
        if self._textarea:
            self.data[self._textarea][-1] += data

    def handle_endtag(self, tag):
        if tag == "select":
            self._select = None
        elif tag == "textarea":
            self._textarea = None


def _template_save(world, client):
    sys = world.user("sys")
    client.force_login(sys)
    template = ChecklistTemplate.objects.create(province=world.a.province, year=2025, name="测试细则")
    url = reverse("admin:inspections_checklisttemplate_change", args=[template.pk])
    parser = _FormData()
    parser.feed(client.get(url).content.decode())
    data = {**parser.data, "name": ["测试细则（修订）"], "_save": ["保存"]}
    assert client.post(url, data).status_code == 302
    return Expect(sys, template)


def _template_copy(world, client):
    from inspections.tests.conftest import simple_template

    sys = world.user("sys")
    client.force_login(sys)
    template = simple_template(world.a.province, 2020)
    data = {"action": "copy_as_new_version", "_selected_action": [template.pk]}
    assert client.post(reverse("admin:inspections_checklisttemplate_changelist"), data).status_code == 302
    return Expect(sys, ChecklistTemplate.objects.get(province=world.a.province, year=2020, version=2))


def _have_items(world, client):
    sys = world.user("sys")
    client.force_login(sys)
    data = {
        "province": world.a.province.pk,
        "year": 2025,
        "name": "六有（B）",
        "items": '[{"code": "venue", "label": "有阵地"}]',
    }
    assert client.post(reverse("admin:inspections_haveitemset_add"), data).status_code == 302
    return Expect(sys, HaveItemSet.objects.get())


CASES = {
    "checklist_template.save": _template_save,
    "checklist_template.copy": _template_copy,
    "have_item_set.save": _have_items,
}
