"""County officer opens a round, scores a station on a phone-width page and raises a finding; the
station answers with evidence; the officer verifies."""

import pytest
from django.utils import timezone

from inspections.example import create_example_template
from inspections.models import ChecklistTemplate, Rectification, TemplateItem

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_round_score_finding_answer_verify(world, page, login, tmp_path):
    template = ChecklistTemplate.objects.create(province=world.a.province, year=2020, name="简易细则")
    TemplateItem.objects.create(
        template=template,
        order=1,
        code="1",
        section="阵地",
        text="有办公场所并悬挂统一标识",
        kind="manual",
        max_points=60,
    )
    TemplateItem.objects.create(
        template=template,
        order=2,
        code="2",
        section="帮教",
        text="按时走访",
        kind="deduct_per_unit",
        max_points=40,
        unit=2,
    )
    TemplateItem.objects.create(
        template=template, order=3, code="B1", section="加分项", text="媒体报道", kind="bonus", unit=2
    )
    create_example_template(ChecklistTemplate, TemplateItem, year=2024)  # a national template is also there
    officer = world.user("county")
    login(officer)

    # open the round
    page.get_by_role("link", name="督查考评", exact=True).first.click()
    page.click("text=开启半年督查轮次")
    page.select_option("#id_county", str(world.a.county.pk))
    page.click("[data-testid=round-open-form] button[type=submit]")
    assert world.a.station.name in page.inner_text("[data-testid=inspection-row]")

    # score on a phone-width page
    page.set_viewport_size({"width": 390, "height": 844})
    page.locator("[data-testid=inspection-row]").get_by_role("link", name="评分", exact=True).click()
    page.check("#id_methods_0")  # 听汇报
    page.check("#id_methods_2")  # 看现场
    page.fill("#id_inspected_on", timezone.localdate().isoformat())
    page.locator("[data-testid=item-1] input[type=number]").fill("56")
    page.fill("#id_summary", "尚未保存的总体评价")
    page.click("[data-testid=save-item-1]")  # htmx: this card and the running total only, no reload
    page.wait_for_selector("[data-testid=points-1]")
    assert "56" in page.inner_text("[data-testid=points-1]")
    assert page.input_value("#id_summary") == "尚未保存的总体评价"  # the page was not reloaded
    assert "当前总分" in page.inner_text("[data-testid=score-total]")
    page.locator("[data-testid=item-2] input[type=number]").fill("1")
    page.locator("[data-testid=item-B1] input[type=number]").fill("1")
    page.click("button[name=submit]")
    # the lock asks first: what it locks, what is missing, who can undo it (issue 14 §3)
    assert "得分 96.0 分" in page.inner_text("[data-testid=confirm-effects]")
    assert "更正" in page.inner_text("[data-testid=confirm-undo]")
    page.click("[data-testid=confirm-button]")
    assert page.inner_text("[data-testid=score]") == "96.0"
    assert "优秀" in page.inner_text("[data-testid=grade]")

    # raise a finding
    page.set_viewport_size({"width": 1280, "height": 900})
    page.click("text=下达整改事项")
    page.fill("#id_finding", "统一标识未悬挂在醒目位置")
    page.fill("#id_responsible", "王建国")
    page.click("[data-testid=rect-form] button[type=submit]")
    assert "统一标识未悬挂在醒目位置" in page.inner_text("[data-testid=rect-item]")
    page.click("text=退出")

    # the station answers with evidence
    login(world.user("head"))
    page.click("text=统一标识未悬挂在醒目位置")
    page.fill("#id_answer", "已在大门右侧重新悬挂统一标识")
    evidence = tmp_path / "标识照片说明.pdf"
    evidence.write_bytes(b"%PDF-1.4\n% evidence\n")
    page.set_input_files("#id_files", str(evidence))
    page.click("[data-testid=answer-form] button[type=submit]")
    assert page.inner_text("[data-testid=rect-status]") == "已反馈"
    assert "标识照片说明.pdf" in page.content()
    page.click("text=退出")

    # the county verifies
    login(officer)
    page.goto(f"/inspections/rectifications/{Rectification.objects.get().pk}/")
    page.click("[data-testid=verify]")
    assert page.inner_text("[data-testid=rect-status]") == "已验收"
