"""Issue 14 §8: on the freshly seeded demo every journey can be walked today, through the pages.

- the administrators' homes show their work: a locked account (security), the week's audit events
  (audit), a failed background export (system);
- a county officer opens this half-year's inspection round (爱辉 has not opened it yet);
- the province takes the award decision (the 2024—2025 cycle's 公示 has ended) and the award then counts
  in the cycle's last year on the dashboard figure.

The tests in this module share one seeded demo and run in file order (the award test changes it)."""

import re

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from inspections.models import AwardCycle, InspectionRound, Nomination
from stations.figures import Period, get_figure
from stations.models import User, Workstation

from .test_every_page import demo_province  # noqa: F401 - the module-scoped seeded demo


def client_for(username: str) -> Client:
    client = Client()
    client.force_login(User.objects.get(username=username))
    return client


def home(username: str) -> str:
    response = client_for(username).get(reverse("stations:home"))
    assert response.status_code == 200
    return response.content.decode()


@pytest.mark.django_db
def test_administrator_homes_show_their_work(demo_province):  # noqa: F811
    security = home("anquan_admin")
    assert 'data-testid="locked-accounts"' in security
    assert "zhan_linshi" in security and "连续失败 5 次" in security

    auditor = home("shenji_admin")
    lockouts = re.search(r'data-testid="alert-auth.lockout".*?<span class="badge[^"]*">(\d+)</span>', auditor, re.S)
    failures = re.search(
        r'data-testid="alert-auth.login_failed".*?<span class="badge[^"]*">(\d+)</span>', auditor, re.S
    )
    assert lockouts and int(lockouts.group(1)) >= 1
    assert failures and int(failures.group(1)) >= 5
    # the alert's count is the row count of the list it opens
    link = re.search(r'href="(/audit/\?action=auth.login_failed[^"]*)"', auditor)
    assert link, "the failed-login alert links to the audit log"
    listed = client_for("shenji_admin").get(link.group(1).replace("&amp;", "&")).content.decode()
    assert f'data-total="{failures.group(1)}"' in listed

    system = home("xitong_admin")
    assert 'data-testid="failed-jobs"' in system and "超过后台任务时限" in system

    for username in ("anquan_admin", "shenji_admin", "xitong_admin"):  # each sees only their own work
        page = home(username)
        assert page.count('data-testid="locked-accounts"') == (username == "anquan_admin")
        assert page.count('data-testid="audit-alerts"') == (username == "shenji_admin")
        assert page.count('data-testid="failed-jobs"') == (username == "xitong_admin")


@pytest.mark.django_db
def test_a_county_officer_opens_this_half_year_round(demo_province):  # noqa: F811
    today = timezone.localdate()
    half = 1 if today.month <= 6 else 2
    officer = User.objects.get(username="xian_aihui")
    assert not InspectionRound.objects.filter(county=officer.org_unit, year=today.year, half=half).exists()
    client = client_for("xian_aihui")
    page = client.get(reverse("inspections:round-list")).content.decode()
    assert reverse("inspections:round-open") in page
    response = client.post(
        reverse("inspections:round-open"), {"county": officer.org_unit_id, "year": today.year, "half": half}
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    opened = InspectionRound.objects.get(county=officer.org_unit, year=today.year, half=half)
    active = Workstation.objects.filter(county=officer.org_unit, status="active").count()
    assert opened.inspections.count() == active > 0
    # every year the form offers has its rules: an earlier half opens too
    earlier = client.post(
        reverse("inspections:round-open"), {"county": officer.org_unit_id, "year": today.year - 5, "half": 1}
    )
    assert earlier.status_code == 302 and "尚未配置适用的考评细则" not in earlier.content.decode()


@pytest.mark.django_db
def test_the_province_reaches_the_award_decision(demo_province):  # noqa: F811
    cycle = AwardCycle.objects.get()
    assert cycle.status == "notice" and cycle.notice_end < timezone.localdate()
    nomination = Nomination.objects.get(cycle=cycle)
    awarded = get_figure("inspections.awarded")
    last_year = Period(cycle.first_year + 1)
    assert (
        awarded.for_stations(station_ids=[nomination.workstation_id], period=last_year)[nomination.workstation_id] == 0
    )

    client = client_for("sheng_gongwei")
    page = client.get(reverse("inspections:award-detail", args=[cycle.pk])).content.decode()
    assert "deciding" in page  # the step to the decision is offered
    advance = reverse("inspections:award-advance", args=[cycle.pk])
    assert client.post(advance, {"to": "deciding", "confirm": "1"}).status_code == 302
    decide = reverse("inspections:nomination-action", args=[nomination.pk, "decide"])
    response = client.post(decide, {"award": "1", "confirm": "1"})
    assert response.status_code == 302
    nomination.refresh_from_db()
    assert nomination.status == "awarded"
    assert nomination.certificate_no == f"{cycle.first_year}-{cycle.first_year + 1}-001"
    # The award counts in the cycle's last year (the year its certificate names last), on the dashboard too
    assert (
        awarded.for_stations(station_ids=[nomination.workstation_id], period=last_year)[nomination.workstation_id] == 1
    )
    # The station's report of that year was frozen when its 年度台账 was submitted, before the decision:
    # the county's list of corrections since submission shows the award (0 → 1), and nothing else moved.
    county = client_for("xian_daoli")
    changes = county.get(reverse("reports:snapshot-diff", args=[nomination.workstation_id, last_year.year]))
    table = changes.content.decode()
    rows = re.findall(r'data-testid="diff-row".*?</tr>', table, re.S)
    award_rows = [row for row in rows if "获评优秀爱心工作站" in row]
    assert len(award_rows) == 1 and re.search(r">\s*0\s*<.*>\s*1\s*<", award_rows[0], re.S), award_rows
