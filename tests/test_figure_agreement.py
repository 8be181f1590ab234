"""One figure, one number (issue 14 §1): for every registered figure that links to a list, for every
demo unit, two periods and every role that sees the unit, the figure's value equals the row count of
the list its link opens (the `data-total` of the list's pagination line). No hand-picked cases: the
figures come from the registry, the units and users from the seeded demo province.

Users and units: each county, city and province officer checks their own unit and every unit one
level down (a province officer: the province and its cities; a county officer: the county and its
stations); station staff check their station. Figures whose value is a sum or a rate (hours,
person-times, the re-offending rate) link to no list or to a list that shows the same total."""

import re
from decimal import Decimal

import pytest
from django.test import Client
from django.utils import timezone

from stations.figures import Period, all_figures
from stations.models import OrgUnit, User, Workstation, subtree_q
from stations.reports.dashboards import figure_href

from .test_every_page import demo_province  # noqa: F401 - the module-scoped seeded demo

TOTAL = re.compile(r'data-total="(\d+)"')
OFFICERS = ["zhan_luru", "zhan_zhang", "zhan_luru2", "xian_daoli", "xian_aihui", "shi_haerbin", "sheng_gongwei"]


def periods():
    year = timezone.localdate().year
    return [Period(year), Period(year - 1)]


def units_of(user: User) -> list[tuple[str, dict, list[int]]]:
    """(label, href target, station ids) of the user's own unit and each unit one level down."""
    if user.workstation_id:
        return [(user.workstation.name, {"station_id": user.workstation_id}, [user.workstation_id])]
    root = user.org_unit
    units = [root, *OrgUnit.objects.filter(parent=root)]
    targets = [
        (
            unit.name,
            {"org": unit.pk},
            list(Workstation.objects.filter(subtree_q("org_path", unit.path)).values_list("pk", flat=True)),
        )
        for unit in units
    ]
    if not OrgUnit.objects.filter(parent=root).exists():  # a county: its stations
        targets += [
            (station.name, {"station_id": station.pk}, [station.pk])
            for station in Workstation.objects.filter(subtree_q("org_path", root.path))
        ]
    return targets


@pytest.mark.django_db
def test_every_linked_figure_equals_the_rows_of_its_list(demo_province):  # noqa: F811
    linked = [fig for fig in all_figures() if fig.link]
    assert len(linked) >= 20, "the figure registry lost its links"
    disagreements, checked = [], 0
    for username in OFFICERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        for label, target, station_ids in units_of(user):
            for period in periods():
                for fig in linked:
                    href = figure_href(fig, period=period, user=user, **target)
                    if not href:
                        continue
                    value = fig.total_for(station_ids=station_ids, period=period) or 0
                    response = client.get(href)
                    assert response.status_code == 200, f"{username}: {href} answered {response.status_code}"
                    found = TOTAL.search(response.content.decode())
                    assert found, f"{href} shows no row count"
                    checked += 1
                    if Decimal(str(value)) != Decimal(found.group(1)):
                        disagreements.append(
                            f"{username} {label} {period}: {fig.key} ({fig.label}) = {value}, "
                            f"list {href} has {found.group(1)}"
                        )
    assert checked > 100
    assert not disagreements, f"{len(disagreements)} of {checked}:\n" + "\n".join(disagreements[:60])


HOME_OVERDUE = re.compile(r"走访/评估逾期 (\d+) 人")
STATION_OVERDUE = re.compile(r"走访/评估逾期</th><td>(\d+)</td>")


@pytest.mark.django_db
def test_overdue_cases_agree_on_home_station_page_and_list(demo_province):  # noqa: F811
    """新阳路: home said 0, the station page 1, the list 0 (a sealed overdue case counted by one of them)."""
    from django.urls import reverse

    from stations.figures import get_figure
    from stations.reports.dashboards import figure_href as href_of

    checked = 0
    for username in OFFICERS:
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        home = HOME_OVERDUE.search(client.get(reverse("stations:home")).content.decode())
        if home is None:
            continue
        listed = TOTAL.search(client.get(reverse("mentoring:overdue-list")).content.decode())
        assert home.group(1) == listed.group(1), f"{username}: home {home.group(1)}, overdue list {listed.group(1)}"
        for _label, target, station_ids in units_of(user):
            fig = get_figure("mentoring.overdue_contacts")
            value = fig.total_for(station_ids=station_ids, period=periods()[0])
            if target == {"org": user.org_unit_id} or target == {"station_id": user.workstation_id}:
                assert int(home.group(1)) == value, f"{username}: home {home.group(1)}, figure {value}"
            if "station_id" in target:
                page = client.get(reverse("stations:workstation-detail", args=[target["station_id"]])).content.decode()
                shown = STATION_OVERDUE.search(page)
                assert shown and int(shown.group(1)) == value, f"{username}: station page {shown}, figure {value}"
                assert href_of(fig, period=periods()[0], station_id=target["station_id"], user=user)
        checked += 1
    assert checked >= 4


@pytest.mark.django_db
def test_county_summary_pdf_and_workbook_list_the_same_unsubmitted_stations(demo_province):  # noqa: F811
    """The county PDF listed 新阳路、安静街、通江街 as not submitted ("检查模块尚未登记…") while the workbook's list
    was empty: both now come from the checklist figure, for every county officer of the demo."""
    import io

    from django.urls import reverse
    from openpyxl import load_workbook
    from pypdf import PdfReader

    from stations.figures import get_figure

    year = timezone.localdate().year - 1
    for username in ("xian_daoli", "xian_aihui"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        url = reverse("stations:export-download", kwargs={"slug": "county-summary-pdf"})
        pdf = client.get(url, {"year": year, "org": user.org_unit_id})
        assert pdf.status_code == 200
        text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf.content)).pages)
        assert "尚未登记" not in text
        section = text[text.index("未提交年度台账的工作站") :].split("\n")[1]  # the paragraph that lists them
        url = reverse("stations:export-download", kwargs={"slug": "area-summary"})
        book = load_workbook(io.BytesIO(client.get(url, {"year": year, "org": user.org_unit_id}).content))
        rows = [[cell for cell in row] for row in book["未提交年度台账"].iter_rows(values_only=True)]
        header = next(i for i, row in enumerate(rows) if "工作站" in row)
        listed = [row[rows[header].index("工作站")] for row in rows[header + 1 :] if any(row)]
        active = Workstation.objects.filter(county=user.org_unit, status="active")
        submitted = get_figure("inspections.checklist_submitted").for_stations(
            station_ids=[s.pk for s in active], period=Period(year)
        )
        expected = sorted(s.name for s in active if not submitted[s.pk])
        assert sorted(listed) == expected, username
        for station in active:
            assert (station.name in section) == (station.name in expected), f"{username}: {station.name}"
        if not expected:
            assert "全部已提交" in section
