"""The system administrator edits checklist templates and 六有 sets in the admin; a template used by
an inspection is frozen and copied as a new version instead."""

from django.urls import reverse

from inspections.models import ChecklistTemplate, HaveItemSet
from stations.models import AuditEntry

from .conftest import scored_round


def test_admin_edits_templates_and_have_sets(world, client_as):
    client = client_as(world.user("sys"))
    response = client.get(reverse("admin:inspections_checklisttemplate_changelist"))
    assert response.status_code == 200
    template = ChecklistTemplate.objects.create(province=world.a.province, year=2025, name="测试细则")
    page = client.get(reverse("admin:inspections_checklisttemplate_change", args=[template.pk])).content.decode()
    assert 'name="name"' in page  # editable while unused
    response = client.post(
        reverse("admin:inspections_haveitemset_add"),
        {
            "province": world.a.province.pk,
            "year": 2025,
            "name": "六有（B）",
            "items": '[{"code": "venue", "label": "有阵地"}]',
        },
    )
    assert response.status_code == 302
    assert HaveItemSet.objects.get().items == [{"code": "venue", "label": "有阵地"}]
    assert AuditEntry.objects.filter(action="have_item_set.save").exists()


def test_template_in_use_is_frozen_and_copied(world, client_as, officer, province_template):
    scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80})
    client = client_as(world.user("sys"))
    page = client.get(
        reverse("admin:inspections_checklisttemplate_change", args=[province_template.pk])
    ).content.decode()
    assert 'name="name"' not in page  # read-only
    response = client.post(
        reverse("admin:inspections_checklisttemplate_changelist"),
        {"action": "copy_as_new_version", "_selected_action": [province_template.pk]},
    )
    assert response.status_code == 302
    copy = ChecklistTemplate.objects.get(province=world.a.province, year=province_template.year, version=2)
    assert list(copy.items.values_list("code", flat=True)) == ["1", "V"]
    assert province_template.items.count() == 2


def test_other_roles_are_kept_out_of_the_admin(world, client_as):
    response = client_as(world.user("county")).get(reverse("admin:inspections_checklisttemplate_changelist"))
    assert response.status_code == 302


def test_station_page_shows_inspection_panel(world, client_as, officer, province_template):
    scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 86.5})
    page = client_as(world.user("staff")).get(reverse("stations:workstation-detail", args=[world.a.station.pk]))
    text = page.content.decode()
    assert "督查考评" in text and "2025年上半年" in text and "86.5" in text
