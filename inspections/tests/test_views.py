"""What users see: pages, forms with errors beside fields, PDFs (text via pypdf), pinned query counts."""

import io
import re
from datetime import date, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from inspections import selectors, services
from inspections.models import Inspection, InspectionRound, Rectification, RectStatus
from stations.models import Funding
from stations.tests.factories import WorkstationFactory

from .conftest import province_of, scored_round
from .test_services import WORKED


def pdf_text(response) -> str:
    assert response["Content-Type"] == "application/pdf"
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)


def test_nav_and_round_list(world, client_as, officer, province_template):
    scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 88})
    response = client_as(officer).get(reverse("inspections:round-list"))
    text = response.content.decode()
    assert "督查考评" in text and "甲县" in text and "2025年上半年" in text and "1/1" in text
    assert "开启半年督查轮次" in text
    head_page = client_as(world.user("head")).get(reverse("inspections:round-list")).content.decode()
    assert "开启半年督查轮次" not in head_page and "甲县" in head_page


def test_open_round_form_errors_next_to_the_field(world, client_as, officer, province_template):
    client = client_as(officer)
    data = {"county": world.a.county.pk, "year": timezone.localdate().year, "half": 1}
    response = client.post(reverse("inspections:round-open"), data)
    assert response.status_code == 302
    response = client.post(reverse("inspections:round-open"), data)
    assert "该县/区本半年度的督查轮次已开启" in response.content.decode()
    response = client.post(reverse("inspections:round-open"), {**data, "county": world.b.county.pk})
    assert "选择一个有效的选项" in response.content.decode()
    assert InspectionRound.objects.count() == 1


def test_score_page_shows_missing_figures_and_scores(world, client_as, officer, example_template):
    from inspections.models import TemplateItem

    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=100)
    TemplateItem.objects.create(  # a figure no app registers: the officer enters it
        template=example_template,
        order=99,
        code="X",
        section="测试",
        text="未登记的数据",
        kind="computed",
        terms=[{"figure": "test.never_registered", "unit": 1}],
    )
    round = services.round_open(actor=officer, county=world.a.county, year=2025, half=1)
    inspection = round.inspections.get()
    client = client_as(officer)
    url = reverse("inspections:inspection-score", args=[inspection.pk])
    page = client.get(url).content.decode()
    assert "系统暂无数据，请人工填写" in page
    assert "系统数据：1" in page  # funding of the year, pre-filled
    entries = {e.item.code: e for e in inspection.items.select_related("item")}
    data = {"methods": ["report", "ledger"], "inspected_on": "2025-06-10", "summary": "整体较好"}
    for code, values in {**WORKED, "X": [0]}.items():
        entry = entries[code]
        if entry.item.kind == "boolean":
            if values[0]:
                data[f"v_{entry.pk}_0"] = "1"
            continue
        for index, value in enumerate(values):
            data[f"v_{entry.pk}_{index}"] = str(value)
    for entry in entries.values():  # figures registered by other apps may differ from the counts: say why
        data[f"note_{entry.pk}"] = "现场核实"
    data[f"v_{entries['3'].pk}_0"] = "abc"
    response = client.post(url, {**data, "submit": "1"})
    assert response.status_code == 200
    assert "请输入数字" in response.content.decode()
    data[f"v_{entries['3'].pk}_0"] = "8"
    response = client.post(url, {**data, "submit": "1", "confirm": "1"})
    assert response.status_code == 302
    detail = client.get(reverse("inspections:inspection-detail", args=[inspection.pk])).content.decode()
    assert 'data-testid="score">96.0<' in detail and "优秀" in detail and "听汇报、查台账" in detail
    assert client.get(url).status_code == 302  # locked: back to the detail page


def test_raise_answer_verify_through_pages(world, client_as, officer, province_template):
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    county = client_as(officer)
    response = county.post(
        reverse("inspections:rectification-raise", args=[inspection.pk]),
        {"finding": "", "responsible": "", "severity": "normal"},
    )
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    county.post(
        reverse("inspections:rectification-raise", args=[inspection.pk]),
        {"finding": "未召开联席会议", "responsible": "王建国", "severity": "serious"},
    )
    rect = Rectification.objects.get()
    assert rect.due_on == inspection.inspected_on + timedelta(days=15)
    head = client_as(world.user("head"))
    page = head.get(reverse("stations:home")).content.decode()
    assert "未召开联席会议" in page
    bad = head.post(
        reverse("inspections:rectification-answer", args=[rect.pk]),
        {"answer": "已召开", "files": SimpleUploadedFile("m.pdf", b"GIF89a")},
    )
    assert "文件内容不是 PDF" in bad.content.decode()
    head.post(
        reverse("inspections:rectification-answer", args=[rect.pk]),
        {"answer": "已召开联席会议", "files": SimpleUploadedFile("minutes.pdf", b"%PDF-1.4 minutes")},
    )
    rect.refresh_from_db()
    assert rect.status == RectStatus.ANSWERED
    county = client_as(officer)
    detail = county.get(reverse("inspections:rectification-detail", args=[rect.pk])).content.decode()
    assert "minutes.pdf" in detail and "验收通过" in detail
    evidence = rect.evidence.get()
    download = county.get(reverse("inspections:evidence-file", args=[rect.pk, evidence.pk]))
    assert b"".join(download.streaming_content).startswith(b"%PDF")
    county.post(reverse("inspections:rectification-verify", args=[rect.pk]))
    rect.refresh_from_db()
    assert rect.status == RectStatus.VERIFIED


def test_overdue_escalates_on_county_list_and_home(world, client_as, officer, province_template):
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    services.rectification_raise(
        actor=officer, inspection=inspection, finding="按期的问题", responsible="王", due_on=date(2099, 1, 1)
    )
    services.rectification_raise(
        actor=officer, inspection=inspection, finding="逾期的问题", responsible="王"
    )  # the default deadline runs from the inspection of 2025-06-20: long past
    client = client_as(officer)
    page = client.get(reverse("inspections:rectification-list")).content.decode()
    assert "有 1 项整改已逾期" in page and "共 2 条" in page
    assert page.index("逾期的问题") < page.index("按期的问题")
    # a filtered list counts its own rows; the badge still counts every overdue finding in scope
    searched = client.get(reverse("inspections:rectification-list"), {"q": "按期"}).content.decode()
    assert "共 1 条" in searched and "有 1 项整改已逾期" in searched and "逾期的问题" not in searched
    only_overdue = client.get(reverse("inspections:rectification-list"), {"status": "overdue"}).content.decode()
    assert "共 1 条" in only_overdue and "按期的问题" not in only_overdue
    home = client.get(reverse("stations:home")).content.decode()
    assert 'data-testid="overdue-count">1<' in home


@pytest.mark.parametrize("rows", [5, 60])
def test_rectification_list_query_count_is_pinned(
    world, client_as, officer, province_template, rows, django_assert_max_num_queries
):
    inspection = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80}
    ).inspections.get()
    Rectification.objects.bulk_create(
        [
            Rectification(
                workstation=world.a.station,
                inspection=inspection,
                finding=f"问题{i}",
                due_on=date(2025, 8, 1),
                responsible="王",
            )
            for i in range(rows)
        ]
    )
    client = client_as(officer)
    with django_assert_max_num_queries(13):
        response = client.get(reverse("inspections:rectification-list"))
    assert f"共 {rows} 条" in response.content.decode()


@pytest.mark.parametrize("stations", [3, 30])
def test_round_and_checklist_lists_query_count_is_pinned(
    world, client_as, officer, province_template, stations, django_assert_max_num_queries
):
    for _ in range(stations):
        WorkstationFactory(county=world.a.county)
    round = services.round_open(actor=officer, county=world.a.county, year=2025, half=1)
    client = client_as(officer)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inspections:round-detail", args=[round.pk]))
    assert f"共 {stations + 1} 条" in response.content.decode()
    with django_assert_max_num_queries(14):
        response = client.get(reverse("inspections:checklist-list") + "?year=2025")
    assert f"共 {stations + 1} 条" in response.content.decode()
    with django_assert_max_num_queries(14):
        client.get(reverse("inspections:round-list"))


@pytest.mark.parametrize("years", [1, 6])
def test_round_list_counts_each_rounds_inspections_in_a_fixed_number_of_queries(
    world, client_as, officer, province_template, years, django_assert_max_num_queries
):
    """2 and 12 rounds: the same queries; each row's "submitted/to inspect" counts its own inspections."""
    WorkstationFactory(county=world.a.county)  # a second station, left unscored
    for year in range(2025 - years + 1, 2026):
        scored_round(officer=officer, county=world.a.county, year=year, half=1, scores={world.a.station.pk: 80})
        services.round_open(actor=officer, county=world.a.county, year=year, half=2)
    client = client_as(officer)
    client.get(reverse("inspections:round-list"))
    with django_assert_max_num_queries(14):
        body = client.get(reverse("inspections:round-list")).content.decode()
    cells = [cell.strip() for cell in re.findall(r'<td class="text-end">([^<]*)</td>', body)]
    assert cells == ["0/2", "1/2"] * years  # newest first: the second half, then the first


def test_checklist_page_submit_and_reopen(world, client_as):
    head = client_as(world.user("head"))
    year = timezone.localdate().year - 1
    url = reverse("inspections:checklist-detail", args=[world.a.station.pk, year])
    page = head.get(url).content.decode()
    assert "系统数据（自动汇总，无需填写）" in page and "有阵地" in page  # 六有 variant A by default
    # 有阵地 is inferred from the station's status (stations.status_active), the station confirms it
    assert 'name="have_venue" class="form-check-input" id="id_have_venue" checked' in page
    head.post(url, {"highlights": "护学岗常态化", "filled_by": "刘晓燕", "have_venue": "on"})
    assert 'data-testid="who-submits"' not in head.get(url).content.decode()
    # the entry clerk fills the checklist but is told who submits it (client_as signs the client in anew)
    staff_page = client_as(world.user("staff")).get(url).content.decode()
    assert 'data-testid="who-submits"' in staff_page and "由站长提交" in staff_page
    assert 'data-testid="checklist-submit"' not in staff_page
    head = client_as(world.user("head"))
    # 站长提交 asks first: what locks, what is still missing, who can undo it; nothing is submitted yet
    submit = reverse("inspections:checklist-action", args=[world.a.station.pk, year, "submit"])
    asked = head.post(submit).content.decode()
    assert 'data-testid="confirm-step"' in asked
    assert f"本站 {year} 年度的所有记录" in asked and "锁定" in asked
    assert "下半年检查得分：系统暂无数据" in asked or "系统暂无数据" in asked
    assert "存在问题未填写" in asked and "工作亮点未填写" not in asked
    assert "县级关工委" in asked and "重新开放" in asked
    assert 'data-testid="checklist-status">填写中<' in head.get(url).content.decode()
    head.post(submit, {"confirm": "1"})
    page = head.get(url).content.decode()
    assert 'data-testid="checklist-status">已提交<' in page and "护学岗常态化" in page
    county = client_as(world.user("county"))
    response = county.post(
        reverse("inspections:checklist-action", args=[world.a.station.pk, year, "reopen"]), {"reason": ""}
    )
    assert "这个字段是必填项" in response.content.decode() or "必填" in response.content.decode()
    county.post(
        reverse("inspections:checklist-action", args=[world.a.station.pk, year, "reopen"]), {"reason": "数据有误"}
    )
    page = county.get(url).content.decode()
    assert 'data-testid="checklist-status">填写中<' in page


def test_annual_checklist_pdf(world, client_as):
    head = world.user("head")
    Funding.objects.create(workstation=world.a.station, year=2025, amount_yuan=8000)
    checklist = services.checklist_for(actor=head, workstation=world.a.station, year=2025)
    services.checklist_save(
        actor=head, checklist=checklist, highlights="法治进校园十二场", filled_by="刘晓燕", haves={"venue": True}
    )
    services.checklist_submit(actor=head, checklist=checklist)
    response = client_as(head).get(
        reverse("stations:export-download", args=["annual-checklist"]) + f"?workstation={world.a.station.pk}&year=2025"
    )
    text = pdf_text(response)
    for expected in [
        "甲站派出所关爱工作站",
        "2025年度",
        "8,000 元",
        "法治进校园十二场",
        "刘晓燕",
        "站长签字",
        "第 1 页",
    ]:
        assert expected in text, expected
    outside = client_as(head).get(
        reverse("stations:export-download", args=["annual-checklist"]) + f"?workstation={world.z.station.pk}&year=2025"
    )
    assert outside.status_code == 404


def test_inspection_report_pdf_with_chart(world, client_as, officer, province_template):
    second = WorkstationFactory(county=world.a.county, name="乙二派出所关爱工作站")
    round = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 91.5, second.pk: 77}
    )
    inspection = Inspection.objects.get(round=round, workstation=second)
    services.rectification_raise(actor=officer, inspection=inspection, finding="帮教记录缺失", responsible="张")
    response = client_as(officer).get(
        reverse("stations:export-download", args=["inspection-report"]) + f"?round={round.pk}"
    )
    text = pdf_text(response)
    for expected in [
        "甲县",
        "2025年上半年",
        "甲站派出所关爱工作站",
        "乙二派出所关爱工作站",
        "91.5",
        "77.0",
        "帮教记录缺失",
        "优秀",
        "得分排名",
    ]:
        assert expected in text, expected
    assert text.index("甲站派出所关爱工作站") < text.index("乙二派出所关爱工作站", text.index("名次"))
    assert (
        client_as(world.user("head"))
        .get(reverse("stations:export-download", args=["inspection-report"]) + f"?round={round.pk}")
        .status_code
        == 403
    )


def test_round_page_shows_the_same_chart(world, client_as, officer, province_template):
    round = scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 93})
    page = client_as(world.user("city")).get(reverse("inspections:round-detail", args=[round.pk])).content.decode()
    assert 'data-testid="round-chart"><svg' in page and ">93.0</text>" in page
    station_page = client_as(world.user("staff")).get(reverse("inspections:round-detail", args=[round.pk]))
    assert "round-chart" not in station_page.content.decode()


def test_round_chart_colours_bands_and_marks_missing_scores(world, officer, province_template):
    from inspections.exports import round_chart

    round = scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 93})
    svg = round_chart(selectors.inspection_list(user=world.user("city"), round=round))
    assert 'fill="#2e7d32"' in svg and ">93.0</text>" in svg


def test_award_pages_and_certificate(world, client_as, officer, province_template):
    from inspections.models import AwardCycle, Nomination

    station = world.a.station
    for year, half in [(2023, 1), (2023, 2), (2024, 1), (2024, 2)]:
        scored_round(officer=officer, county=world.a.county, year=year, half=half, scores={station.pk: 95})
    prov = client_as(world.user("prov"))
    response = prov.post(
        reverse("inspections:award-open"),
        {"first_year": 2023, "min_each": 85, "min_mean": 90, "quota_percent": 10, "notice_days": 7},
    )
    cycle = AwardCycle.objects.get()
    assert response.status_code == 302
    county = client_as(officer)
    page = county.get(reverse("inspections:award-detail", args=[cycle.pk])).content.decode()
    assert "candidate-row" in page and "符合" in page
    county.post(
        reverse("inspections:award-nominate", args=[cycle.pk]), {"workstation": station.pk, "reason": "成效突出"}
    )
    nomination = Nomination.objects.get()
    prov = client_as(world.user("prov"))
    asked = prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "reviewing"}).content.decode()
    assert "推荐截止" in asked and "不能退回" in asked  # every stage change asks first
    prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "reviewing", "confirm": "1"})
    client_as(world.user("city")).post(
        reverse("inspections:nomination-action", args=[nomination.pk, "review"]), {"approve": "1"}
    )
    prov = client_as(world.user("prov"))
    prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "notice", "confirm": "1"})
    prov.post(
        reverse("inspections:nomination-action", args=[nomination.pk, "objection"]),
        {"text": "有异议", "received_on": str(timezone.localdate())},
    )
    objection = nomination.objections.get()
    prov.post(reverse("inspections:objection-handle", args=[objection.pk]), {"handling": "经核实不成立"})
    AwardCycle.objects.filter(pk=cycle.pk).update(notice_start=timezone.localdate() - timedelta(days=8))
    prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "deciding", "confirm": "1"})
    decide = reverse("inspections:nomination-action", args=[nomination.pk, "decide"])
    asked = prov.post(decide, {"award": "1", "note": "授予"}).content.decode()
    assert "确认授予" in asked and "证书编号" in asked and "不能更改" in asked
    prov.post(decide, {"award": "1", "note": "授予", "confirm": "1"})
    prov.post(reverse("inspections:award-advance", args=[cycle.pk]), {"to": "closed", "confirm": "1"})
    page = prov.get(reverse("inspections:award-detail", args=[cycle.pk])).content.decode()
    assert "已结束" in page and "经核实不成立" in page and "2023-2024-001" in page
    response = client_as(world.user("head")).get(
        reverse("stations:export-download", args=["award-certificate"]) + f"?nomination={nomination.pk}"
    )
    text = pdf_text(response)
    assert "甲站派出所关爱工作站" in text and "优秀爱心工作站" in text and "2023-2024-001" in text
    assert province_of(world.a).name in text


def test_lists_accept_the_figure_contract_filters(world, client_as, officer, province_template):
    from stations.models import OrgKind, OrgUnit
    from stations.tests.factories import OrgUnitFactory

    other_county = OrgUnitFactory(kind=OrgKind.COUNTY, parent=world.a.city, name="甲二县")
    other_station = WorkstationFactory(county=other_county, name="甲二派出所关爱工作站")
    city = world.user("city")
    officer_two = type(officer).objects.create(username="county_two", role=officer.role, org_unit=other_county)
    first = scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80})
    scored_round(officer=officer_two, county=other_county, year=2025, half=2, scores={other_station.pk: 80})
    services.rectification_raise(
        actor=officer, inspection=first.inspections.get(), finding="甲县的问题", responsible="王"
    )
    client = client_as(city)
    rounds = reverse("inspections:round-list")
    assert "共 2 条" in client.get(rounds + "?period=2025").content.decode()
    page = client.get(rounds + "?period=2025H1").content.decode()
    assert "共 1 条" in page and "甲县" in page
    assert "共 1 条" in client.get(rounds + f"?org={other_county.pk}").content.decode()
    assert "期间格式应为" not in page
    rects = reverse("inspections:rectification-list")
    assert "甲县的问题" in client.get(rects + f"?org={world.a.county.pk}&period=2099").content.decode()
    assert "甲县的问题" not in client.get(rects + f"?org={other_county.pk}").content.decode()
    assert "甲县的问题" not in client.get(rects + f"?workstation={other_station.pk}").content.decode()
    assert OrgUnit.objects.filter(pk=world.z.county.pk).exists()
    outside = client.get(rects + f"?org={world.z.county.pk}").content.decode()
    assert world.z.station.name not in outside


def test_bad_period_filter_is_explained(world, client_as):
    page = (
        client_as(world.user("county"))
        .get(reverse("inspections:rectification-list") + "?period=2025H3")
        .content.decode()
    )
    assert "期间格式不正确：请填年度（如 2025）或半年（如 2025H1 上半年、2025H2 下半年）。" in page


def test_station_sees_only_its_own_inspection_in_the_round(world, client_as, officer, province_template):
    second = WorkstationFactory(county=world.a.county, name="邻站派出所关爱工作站")
    round = scored_round(
        officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80, second.pk: 90}
    )
    page = client_as(world.user("staff")).get(reverse("inspections:round-detail", args=[round.pk])).content.decode()
    assert world.a.station.name in page and "邻站派出所关爱工作站" not in page and "共 1 条" in page
    other = Inspection.objects.get(workstation=second)
    assert (
        client_as(world.user("staff")).get(reverse("inspections:inspection-detail", args=[other.pk])).status_code == 404
    )


def test_corrected_version_links_to_the_old_one(world, client_as, officer, province_template):
    round = scored_round(officer=officer, county=world.a.county, year=2025, half=1, scores={world.a.station.pk: 80})
    new = services.inspection_correct(actor=officer, inspection=round.inspections.get(), reason="加分漏记")
    page = client_as(officer).get(reverse("inspections:inspection-detail", args=[new.pk])).content.decode()
    assert "加分漏记" in page and "查看第 1 版" in page
    old = client_as(officer).get(reverse("inspections:inspection-detail", args=[new.previous_id])).content.decode()
    assert "此版本已被更正" in old


@pytest.mark.parametrize("cycles", [2, 20])
def test_award_list_filters_and_query_count(world, client_as, cycles, django_assert_max_num_queries):
    from inspections.models import AwardCycle

    for index in range(cycles):
        AwardCycle.objects.create(province=world.a.province, first_year=2000 + 2 * index)
    client = client_as(world.user("county"))
    with django_assert_max_num_queries(10):
        response = client.get(reverse("inspections:award-list"))
    assert f"共 {cycles} 条" in response.content.decode()
    page = client.get(reverse("inspections:award-list") + "?year=2001").content.decode()
    assert "共 1 条" in page and "2000—2001" in page


def test_score_page_keeps_typed_values_when_the_header_is_wrong(world, client_as, officer, province_template):
    inspection = services.round_open(actor=officer, county=world.a.county, year=2025, half=1).inspections.get()
    entry = inspection.items.get(item__code="1")
    future = (timezone.localdate() + timedelta(days=3)).isoformat()
    response = client_as(officer).post(
        reverse("inspections:inspection-score", args=[inspection.pk]),
        {"inspected_on": future, f"v_{entry.pk}_0": "77", f"note_{entry.pk}": "台账较全"},
    )
    page = response.content.decode()
    assert "督查日期不能晚于今天" in page
    assert 'value="77"' in page and 'value="台账较全"' in page
    entry.refresh_from_db()
    assert entry.values == [None] and entry.note == ""
