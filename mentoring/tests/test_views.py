"""Pages of the mentoring app: what a station user and a county officer see and can do."""

import io
import re
from datetime import date, timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from mentoring.models import MentorTeam, Visit, Youth
from mentoring.tests.factories import VolunteerFactory, YouthFactory
from stations import idnumbers
from stations.masking import mask_id_number
from stations.models import AuditEntry


def intake_data(**overrides):
    today = timezone.localdate()
    data = {
        "name": "李测小明",
        "gender": "male",
        "birth_date": "2010-01-01",
        "id_number": idnumbers.make("230102", date(2010, 1, 1), 13),
        "school_status": "junior",
        "home_area": "测试社区",
        "kind": "mentoring",
        "intake_source": "call_110",
        "intake_on": today.isoformat(),
        "intake_reference": "JQ001",
        "risk_level": "high",
        "risk_assessed_on": today.isoformat(),
        "legal_basis": "statutory_duty",
        "categories_list": ["misconduct", "runaway"],
        "guardian_relation": "父亲",
        "guardian_name": "李测父",
        "guardian_phone": "+86 139 0000 2222",
    }
    data.update(overrides)
    return data


def test_station_user_records_an_intake_and_sees_the_legal_basis(world, client):
    client.force_login(world.user("staff"))
    response = client.post(reverse("mentoring:youth-create"), intake_data())
    youth = Youth.objects.get(name="李测小明")
    assert response.status_code == 302 and youth.workstation == world.a.station
    assert youth.category_list == ["misconduct", "runaway"] and youth.stage == "intake"
    assert youth.guardians.get().phone == "13900002222"
    page = client.get(reverse("mentoring:youth-detail", args=[youth.pk])).content.decode()
    assert "预防未成年人犯罪法》第二十八条" in page and "李测小明" in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("id_number", idnumbers.make("230102", date(2010, 1, 2), 13), "出生日期不一致"),
        ("id_number", idnumbers.make("230102", date(2010, 1, 1), 12), "性别位"),
        ("id_number", "230102201001010139", "校验位"),
        ("guardian_phone", "12345", "电话号码格式不正确"),
        ("intake_on", "2099-01-01", "不能晚于今天"),
    ],
)
def test_intake_errors_are_shown_next_to_the_field(world, client, field, value, message):
    client.force_login(world.user("staff"))
    response = client.post(reverse("mentoring:youth-create"), intake_data(**{field: value}))
    assert response.status_code == 200
    assert message in str(response.context["form"].errors.get(field))
    assert not Youth.objects.exists()


def test_duplicate_id_in_the_province_gives_a_warning(world, client):
    number = idnumbers.make("230102", date(2010, 1, 1), 13)
    YouthFactory(workstation=world.b.station, id_number=number, id_hash=idnumbers.lookup_hash(number))
    client.force_login(world.user("staff"))
    response = client.post(reverse("mentoring:youth-create"), intake_data(), follow=True)
    assert "本省已有该身份证号" in response.content.decode()


def test_team_form_refuses_a_foreign_volunteer(world, client):
    youth = YouthFactory(workstation=world.a.station)
    foreign = VolunteerFactory(workstation=world.b.station)
    client.force_login(world.user("staff"))
    url = reverse("mentoring:team-create", args=[youth.pk])
    response = client.post(url, {"team_type": "one_to_one", "lead": foreign.pk, "formed_on": youth.intake_on})
    assert response.status_code == 200 and "lead" in response.context["form"].errors
    assert not MentorTeam.objects.exists()
    mine = VolunteerFactory(workstation=world.a.station, name="孙老站内")
    response = client.post(url, {"team_type": "one_to_one", "lead": mine.pk, "formed_on": youth.intake_on}, follow=True)
    text = response.content.decode()
    assert "孙老站内" in text and "没有青少年心理咨询员" in text


def test_quick_visit_clears_the_overdue_badge(world, client):
    old = timezone.localdate() - timedelta(days=45)
    youth = YouthFactory(workstation=world.a.station, risk_level="high", intake_on=old, last_contact_on=old)
    client.force_login(world.user("staff"))
    assert "overdue-badge" in client.get(reverse("mentoring:youth-detail", args=[youth.pk])).content.decode()
    response = client.post(
        reverse("mentoring:visit-create", args=[youth.pk]),
        {
            "visited_on": timezone.localdate().isoformat(),
            "form": "home",
            "place": "家中",
            "summary": "谈心",
            "hours": "1",
        },
        follow=True,
    )
    text = response.content.decode()
    assert "年第 1 次走访" in text and "overdue-badge" not in text
    assert Visit.objects.get().sequence == 1


def test_list_filters(world, client):
    old = timezone.localdate() - timedelta(days=200)
    YouthFactory(workstation=world.a.station, name="高甲", risk_level="high", categories=",drug_involved,")
    YouthFactory(workstation=world.a.station, name="低乙", risk_level="low", intake_on=old, last_contact_on=old)
    YouthFactory(workstation=world.b.station, name="外站丙")
    client.force_login(world.user("staff"))
    url = reverse("mentoring:youth-list")

    def names(query):
        response = client.get(url + query)
        return {row.youth.name for row in response.context["rows"]}

    assert names("") == {"高甲", "低乙"}
    assert names("?risk=high") == {"高甲"}
    assert names("?category=drug_involved") == {"高甲"}
    assert names("?overdue=on") == {"低乙"}
    assert names("?q=低") == {"低乙"}


def _many(station, n):
    Youth.objects.bulk_create(
        [
            Youth(
                workstation=station,
                name=f"批{i}",
                gender="male",
                birth_date=date(2010, 1, 1),
                school_status="junior",
                intake_source="school",
                intake_on=date(2025, 1, 1),
                risk_level="low",
                risk_assessed_on=date(2025, 1, 1),
                last_contact_on=date(2025, 1, 1),
            )
            for i in range(n)
        ]
    )


def test_youth_list_counts_the_sealed_cases_its_filters_select_beside_its_rows(world, client):
    YouthFactory(workstation=world.a.station, name="在列对象", risk_level="high")
    YouthFactory(workstation=world.a.station, name="封存对象", risk_level="high", is_sealed=True)
    YouthFactory(workstation=world.a.station, name="低风险对象", risk_level="low")
    client.force_login(world.user("staff"))
    page = client.get(reverse("mentoring:youth-list")).content.decode()
    assert "共 2 条，另有 1 条已封存，不在列表中显示" in page and "封存对象" not in page
    assert 'data-total="3"' in page
    high = client.get(reverse("mentoring:youth-list"), {"risk": "high"}).content.decode()
    assert "共 1 条，另有 1 条已封存" in high and 'data-total="2"' in high
    low = client.get(reverse("mentoring:youth-list"), {"risk": "low"}).content.decode()
    assert "共 1 条" in low and "已封存" not in low and 'data-total="1"' in low


@pytest.mark.parametrize("rows", [50, 500])
@pytest.mark.parametrize("name", ["mentoring:youth-list", "mentoring:overdue-list"])
def test_list_query_count_is_pinned(world, client, django_assert_max_num_queries, rows, name):
    _many(world.a.station, rows)
    client.force_login(world.user("county"))
    with django_assert_max_num_queries(13):
        response = client.get(reverse(name))
    assert response.status_code == 200 and response.context["page"].paginator.count == rows


def _decrypted_cells(client, response) -> set:
    from mentoring.tests.test_named_export import decrypt
    from stations.models import ExportJob

    assert response.status_code == 302, response.content.decode()
    page = client.get(response["Location"]).content.decode()
    password = re.search(r'data-testid="export-password">([A-Z0-9]+)<', page).group(1)
    job = ExportJob.objects.latest("pk")
    content = b"".join(client.get(reverse("reports:job-download", args=[job.pk])).streaming_content)
    sheet = load_workbook(io.BytesIO(decrypt(content, password))).worksheets[-1]
    return {c for row in sheet.iter_rows(values_only=True) for c in row}


def test_named_export_for_station_and_masked_for_county(world, client):
    number = idnumbers.make("230102", date(2010, 1, 1), 13)
    YouthFactory(workstation=world.a.station, name="欧阳导出", id_number=number)
    client.force_login(world.user("staff"))
    data = {"reason_code": "handover", "reason": "移交新任帮教民警跟进"}
    cells = _decrypted_cells(client, client.post(reverse("mentoring:youth-export"), data))
    assert "欧阳导出" in cells and number not in cells and mask_id_number(number) in cells
    client.force_login(world.user("county"))
    response = client.get(reverse("stations:export-download", args=["mentoring-youth-masked"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]
    cells = {c for row in sheet.iter_rows(values_only=True) for c in row}
    assert "欧阳某" in cells and "欧阳导出" not in cells and number not in cells
    # the named list asks the county for a station and a reason first
    response = client.get(reverse("mentoring:youth-export"))
    assert response.status_code == 200 and 'name="workstation"' in response.content.decode()


def test_home_panel_shows_the_overdue_count(world, client):
    old = timezone.localdate() - timedelta(days=100)
    YouthFactory(workstation=world.a.station, intake_on=old, last_contact_on=old)
    client.force_login(world.user("staff"))
    text = client.get(reverse("stations:home")).content.decode()
    assert 'data-testid="mentoring-overdue">1<' in text
    client.force_login(world.user("city"))
    assert "mentoring-overdue" not in client.get(reverse("stations:home")).content.decode()


def test_staff_proposal_then_head_approval_in_the_browser_flow(world, client):
    youth = YouthFactory(workstation=world.a.station)
    client.force_login(world.user("staff"))
    client.post(
        reverse("mentoring:youth-close", args=[youth.pk]),
        {"outcome": "back_to_school", "closed_on": timezone.localdate().isoformat()},
    )
    youth.refresh_from_db()
    assert youth.stage == "active" and youth.proposed_outcome == "back_to_school"
    staff_page = client.get(reverse("mentoring:youth-detail", args=[youth.pk])).content.decode()
    assert 'data-testid="who-closes"' in staff_page and "结案由站长审批" in staff_page
    client.force_login(world.user("head"))
    assert "批准结案" in client.get(reverse("mentoring:youth-detail", args=[youth.pk])).content.decode()
    approve = reverse("mentoring:youth-close-approve", args=[youth.pk])
    asked = client.post(approve).content.decode()  # closing asks first and says it cannot be undone
    assert 'data-testid="confirm-step"' in asked and "结案不能撤销" in asked and "移出在帮名单" in asked
    youth.refresh_from_db()
    assert youth.stage == "active"
    client.post(approve, {"confirm": "1"})
    youth.refresh_from_db()
    assert youth.stage == "closed" and youth.outcome == "back_to_school"


def test_sealing_asks_first_and_says_who_can_unseal(world, client):
    youth = YouthFactory(workstation=world.a.station)
    client.force_login(world.user("head"))
    seal = reverse("mentoring:youth-seal", args=[youth.pk])
    asked = client.post(seal, {"ground": "刑事诉讼法第二百八十六条"}).content.decode()
    assert 'data-testid="confirm-step"' in asked and "县级关工委批准后解除" in asked
    assert 'name="ground" value="刑事诉讼法第二百八十六条"' in asked  # the confirmation re-posts the form
    youth.refresh_from_db()
    assert not youth.is_sealed
    client.post(seal, {"ground": "刑事诉讼法第二百八十六条", "confirm": "1"})
    assert Youth.all_objects.get(pk=youth.pk).is_sealed


def test_list_accepts_the_figure_link_filters(world, client):
    YouthFactory(
        workstation=world.a.station, name="本年甲", intake_on=date(2025, 3, 1), risk_assessed_on=date(2025, 3, 1)
    )
    YouthFactory(
        workstation=world.a.station,
        name="往年乙",
        intake_on=date(2023, 3, 1),
        risk_assessed_on=date(2023, 3, 1),
        stage="closed",
        closed_on=date(2024, 1, 1),
        outcome="completed",
    )
    client.force_login(world.user("county"))
    url = reverse("mentoring:youth-list")
    response = client.get(url + f"?period=2025&org={world.a.county.pk}")
    assert [r.youth.intake_on for r in response.context["rows"]] == [date(2025, 3, 1)]
    response = client.get(url + f"?org={world.b.county.pk}")
    assert response.context["page"].paginator.count == 0


def test_station_user_corrects_categories_and_status(world, client):
    youth = YouthFactory(workstation=world.a.station)
    client.force_login(world.user("staff"))
    url = reverse("mentoring:youth-edit", args=[youth.pk])
    assert client.get(url).status_code == 200
    response = client.post(
        url, {"categories": ["serious_misconduct", "idle"], "school_status": "working", "kind": "mentoring"}
    )
    assert response.status_code == 302
    youth.refresh_from_db()
    assert youth.category_list == ["serious_misconduct", "idle"] and youth.school_status == "working"


def test_three_night_encounters_in_90_days_suggest_a_case_without_storing_the_id(world, client):
    from django.db import connection

    number = idnumbers.make("230102", date(2011, 8, 9), 71)
    client.force_login(world.user("staff"))
    for days in (1, 20, 80):
        met = (timezone.localtime() - timedelta(days=days)).strftime("%Y-%m-%dT%H:%M")
        response = client.post(
            reverse("mentoring:encounter-create"),
            {"met_at": met, "place": "网吧门口", "measures": "供餐、观看警示片", "id_number": number},
        )
        assert response.status_code == 302
    text = client.get(reverse("mentoring:encounter-list")).content.decode()
    assert 'data-testid="encounter-suggestions"' in text and number[-4:] in text and number not in text
    with connection.cursor() as cursor:
        cursor.execute("SELECT id_hash, id_last4, place FROM mentoring_nightencounter")
        assert all(number not in " ".join(map(str, row)) for row in cursor.fetchall())
    YouthFactory(workstation=world.a.station, id_number=number, id_hash=idnumbers.lookup_hash(number))
    text = client.get(reverse("mentoring:encounter-list")).content.decode()
    assert 'data-testid="encounter-suggestions"' not in text


@pytest.mark.parametrize("rows", [50, 500])
def test_export_query_count_is_pinned(world, client, django_assert_max_num_queries, settings, rows):
    _many(world.a.station, rows)
    settings.NAMED_EXPORT_MAX_ROWS = 500
    client.force_login(world.user("staff"))
    with django_assert_max_num_queries(14):
        response = client.get(reverse("stations:export-download", args=["mentoring-youth-masked"]))
    sheet = load_workbook(io.BytesIO(response.content)).worksheets[-1]
    assert sheet.max_row == rows + 1
    data = {"reason_code": "statistics_check", "reason": "核对本站年度帮教对象数"}
    with django_assert_max_num_queries(20):
        response = client.post(reverse("mentoring:youth-export"), data)
    assert response.status_code == 302
    assert AuditEntry.objects.get(action="export.named").changes["rows"] == rows


def test_overdue_followups_show_on_the_overdue_list_and_home(world, client):
    closed = timezone.localdate() - timedelta(days=200)
    youth = YouthFactory(
        workstation=world.a.station,
        name="回访逾期",
        intake_on=closed - timedelta(days=60),
        stage="closed",
        closed_on=closed,
        outcome="completed",
    )
    recent = timezone.localdate() - timedelta(days=150)  # its first follow-up is not due yet
    YouthFactory(
        workstation=world.a.station,
        name="回访未到期",
        intake_on=recent - timedelta(days=60),
        stage="closed",
        closed_on=recent,
        outcome="completed",
    )
    client.force_login(world.user("staff"))
    text = client.get(reverse("mentoring:overdue-list")).content.decode()
    assert 'data-testid="overdue-followup"' in text and "回访逾期" in text
    assert "回访未到期" not in text
    assert 'data-testid="mentoring-overdue">1<' in client.get(reverse("stations:home")).content.decode()
    assert "回访逾期" in client.get(reverse("mentoring:followup-list") + "?q=回访").content.decode()
    client.post(
        reverse("mentoring:followup-create", args=[youth.pk]),
        {"done_on": timezone.localdate().isoformat(), "summary": "回访正常"},
    )
    assert 'data-testid="mentoring-overdue">0<' in client.get(reverse("stations:home")).content.decode()


def test_followup_list_shows_the_next_followup_to_record_and_not_finished_cases(world, client):
    from mentoring.models import FollowUp

    long_ago = timezone.localdate() - timedelta(days=800)  # both follow-ups due long ago
    cases = {}
    for name, done in [("两次都已回访", (1, 2)), ("只回访过一次", (1,)), ("从未回访", ())]:
        youth = YouthFactory(
            workstation=world.a.station,
            name=name,
            intake_on=long_ago - timedelta(days=60),
            stage="closed",
            closed_on=long_ago,
            outcome="completed",
        )
        for number in done:
            FollowUp.objects.create(youth=youth, number=number, done_on=long_ago + timedelta(days=190 * number))
        cases[name] = youth
    client.force_login(world.user("staff"))
    page = client.get(reverse("mentoring:followup-list")).content.decode()
    assert "两次都已回访" not in page
    assert "12个月回访" in page.split("只回访过一次", 1)[1].split("</tr>", 1)[0]
    assert "6个月回访" in page.split("从未回访", 1)[1].split("</tr>", 1)[0]
    overdue = client.get(reverse("mentoring:overdue-list")).content.decode()
    assert overdue.count('data-testid="overdue-followup"') == 2 and "两次都已回访" not in overdue


@pytest.mark.parametrize("role", ["staff", "county", "prov"])
def test_station_page_shows_case_counts_without_names(world, client, role):
    YouthFactory(workstation=world.a.station, name="站页对象")
    YouthFactory(workstation=world.a.station, name="站页封存", is_sealed=True)
    client.force_login(world.user(role))
    text = client.get(reverse("stations:workstation-detail", args=[world.a.station.pk])).content.decode()
    assert 'data-testid="mentoring-station-panel"' in text
    assert "站页对象" not in text and "站页封存" not in text
    assert "<th>在帮教</th><td>2</td>" in text
