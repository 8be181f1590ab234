"""The user guide's screenshots (issue 16 §5): each picture in docs/user-guide.md is taken here, in the
system Chromium, on the demo province, signed in as the role the guide's step is written for.

In `make test` (and so in CI) the pictures go to a temporary folder: the step fails when a page the
guide shows is missing, refuses the role, or no longer shows what the guide says it shows, and when
the guide names a picture this list does not take (or the other way round). `make screenshots` writes
them into docs/user-guide/ for the guide to show.
"""

import os
import re
from pathlib import Path

import pytest
from django.urls import reverse
from django.utils import timezone

from stations.models import User
from tests.e2e.test_axe import sign_in
from tests.test_every_page import seed_demo_province

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

GUIDE = Path(__file__).resolve().parents[2] / "docs" / "user-guide.md"
PICTURE = re.compile(r"!\[[^\]]*\]\(user-guide/([\w-]+\.jpg)\)")


def _station(username):
    return User.objects.get(username=username).workstation_id


def _youth(username):
    from mentoring.models import Youth

    return Youth.objects.filter(workstation_id=_station(username), closed_on__isnull=True).order_by("pk").first().pk


def _volunteer(username):
    from volunteers.models import Volunteer

    return Volunteer.objects.filter(workstation_id=_station(username)).order_by("pk").first().pk


def _open_inspection(username):
    from inspections.models import Inspection, RoundStatus

    county = User.objects.get(username=username).org_unit
    found = Inspection.objects.filter(round__county=county, round__status=RoundStatus.OPEN, status="draft")
    return found.order_by("workstation__code").first().pk


def _award():
    from inspections.models import AwardCycle

    return AwardCycle.objects.order_by("-first_year").first().pk


LAST_YEAR = timezone.localdate().year - 1

# (picture, demo login, URL (or a function that finds it in the demo), text the page must show)
SHOTS = [
    ("station-home.jpg", "zhan_luru", lambda: reverse("stations:home"), "待办与概况"),
    ("volunteer-list.jpg", "zhan_luru", lambda: reverse("volunteers:volunteer-list"), "志愿者"),
    ("volunteer-import.jpg", "zhan_luru", lambda: reverse("volunteers:import"), "导入"),
    (
        "service-hours.jpg",
        "zhan_luru",
        lambda: reverse("volunteers:service-add", args=[_volunteer("zhan_luru")]),
        "服务",
    ),
    ("activity-create.jpg", "zhan_luru", lambda: reverse("activities:activity-create"), "活动"),
    ("youth-list.jpg", "zhan_luru", lambda: reverse("mentoring:youth-list"), "帮教对象"),
    ("visit-create.jpg", "zhan_luru", lambda: reverse("mentoring:visit-create", args=[_youth("zhan_luru")]), "走访"),
    (
        "checklist.jpg",
        "zhan_zhang",
        lambda: reverse("inspections:checklist-detail", args=[_station("zhan_zhang"), timezone.localdate().year]),
        "年度台账",
    ),
    (
        "annual-report.jpg",
        "zhan_zhang",
        lambda: reverse("reports:station-annual", args=[_station("zhan_zhang"), LAST_YEAR]),
        "年度工作报告",
    ),
    ("county-home.jpg", "xian_daoli", lambda: reverse("stations:home"), "督查考评"),
    ("round-list.jpg", "xian_daoli", lambda: reverse("inspections:round-list"), "督查轮次"),
    (
        "inspection-score.jpg",
        "xian_daoli",
        lambda: reverse("inspections:inspection-score", args=[_open_inspection("xian_daoli")]),
        "评分",
    ),
    ("rectification-list.jpg", "xian_daoli", lambda: reverse("inspections:rectification-list"), "整改"),
    ("checklist-list.jpg", "xian_daoli", lambda: reverse("inspections:checklist-list"), "年度台账"),
    ("county-dashboard.jpg", "xian_daoli", lambda: reverse("reports:dashboard"), "打包下载全县年度台账"),
    ("city-home.jpg", "shi_haerbin", lambda: reverse("stations:home"), "各县（区）报送与完成情况"),
    ("province-home.jpg", "sheng_gongwei", lambda: reverse("stations:home"), "各市（地）报送与完成情况"),
    ("province-dashboard.jpg", "sheng_gongwei", lambda: reverse("reports:dashboard"), "年度汇总表"),
    ("award.jpg", "sheng_gongwei", lambda: reverse("inspections:award-detail", args=[_award()]), "评选"),
    ("job-list.jpg", "sheng_gongwei", lambda: reverse("reports:job-list"), "导出任务"),
    ("security-home.jpg", "anquan_admin", lambda: reverse("stations:home"), "锁定"),
    ("audit-log.jpg", "shenji_admin", lambda: reverse("stations:audit-list"), "审计"),
    ("user-list.jpg", "xitong_admin", lambda: reverse("stations:user-list"), "账户"),
]


def test_the_guide_shows_exactly_the_pictures_taken_here():
    named = PICTURE.findall(GUIDE.read_text(encoding="utf-8"))
    assert sorted(set(named)) == sorted(shot[0] for shot in SHOTS)
    assert len(named) == len(set(named)), "a picture appears twice in the guide"


def test_every_picture_of_the_guide_is_a_working_page(browser, live_server, settings, tmp_path):
    settings.DEBUG = False
    settings.MEDIA_ROOT = tmp_path / "media"
    seed_demo_province()
    folder = Path(os.environ.get("SCREENSHOT_DIR") or tmp_path / "shots")
    folder.mkdir(parents=True, exist_ok=True)
    problems = []
    by_user: dict[str, list] = {}
    for shot in SHOTS:
        by_user.setdefault(shot[1], []).append(shot)
    for username, shots in by_user.items():
        context = browser.new_context(
            base_url=live_server.url, locale="zh-CN", viewport={"width": 1280, "height": 860}, device_scale_factor=1
        )
        page = context.new_page()
        page.set_default_timeout(30_000)
        try:
            sign_in(page, username)
            for picture, _user, url, text in shots:
                response = page.goto(url(), wait_until="networkidle")
                body = page.inner_text("body")
                if response is None or response.status != 200:
                    problems.append(f"{picture}: {url()} answered {response and response.status} for {username}")
                    continue
                if text not in body:
                    problems.append(f"{picture}: {url()} no longer shows {text!r} to {username}")
                    continue
                page.screenshot(path=str(folder / picture), type="jpeg", quality=70)
        finally:
            context.close()
    assert not problems, "\n".join(problems)
    taken = sorted(path.name for path in folder.glob("*.jpg"))
    assert taken == sorted(shot[0] for shot in SHOTS)
