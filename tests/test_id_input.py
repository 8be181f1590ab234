"""ID numbers as people paste them (IN-1): spaces are normalised away before any length check, in the
volunteer and youth forms and the import; an ID cell Excel stored as a number is reported as such."""

import re
from datetime import date

import pytest
from django.urls import reverse

from mentoring.models import Youth
from mentoring.tests.test_views import intake_data
from stations import idnumbers
from stations.tests.hostile_files import field_errors
from volunteers.models import Volunteer
from volunteers.tests.test_import import person_id, row, upload, xlsx
from volunteers.tests.test_views import _form as volunteer_form

# Half-width spaces, full-width spaces (U+3000) with a lower-case x, a tab and a zero-width space.
PASTE_STYLES = {
    "spaces": lambda n: f" {n[:6]} {n[6:14]} {n[14:]} ",
    "full-width": lambda n: f"{n[:6]}\u3000{n[6:14]}\u3000{n[14:]}".lower(),
    "tab-zero-width": lambda n: f"{n[:6]}\t{n[6:14]}\u200b{n[14:]}",
}
NUMBER = "11010519491231002X"


@pytest.mark.parametrize("style", PASTE_STYLES)
def test_idnumber_with_spaces_passes_the_validator(style):
    assert idnumbers.validate(PASTE_STYLES[style](NUMBER)) == NUMBER


@pytest.mark.parametrize("style", PASTE_STYLES)
def test_volunteer_form_accepts_a_pasted_id_with_spaces(world, client_as, style):
    data = volunteer_form(world.a.station, id_number=PASTE_STYLES[style](NUMBER))
    response = client_as(world.user("staff")).post(reverse("volunteers:volunteer-create"), data)
    assert response.status_code == 302, field_errors(response.content.decode(), "id_number")
    person = Volunteer.objects.get(name="赵新五老")
    assert person.id_number == NUMBER and person.birth_date == date(1949, 12, 31)


@pytest.mark.parametrize("url", ["volunteers:volunteer-create", "mentoring:youth-create"])
def test_id_field_lets_a_pasted_number_with_spaces_through_the_browser(world, client_as, url):
    page = client_as(world.user("staff")).get(reverse(url)).content.decode()
    tag = re.search(r'<input[^>]*name="id_number"[^>]*>', page).group(0)
    assert int(re.search(r'maxlength="(\d+)"', tag).group(1)) >= len(PASTE_STYLES["spaces"](NUMBER))


@pytest.mark.parametrize("style", PASTE_STYLES)
def test_youth_intake_accepts_a_pasted_id_with_spaces(world, client_as, style):
    number = idnumbers.make("230102", date(2010, 1, 1), 13)
    data = intake_data(id_number=PASTE_STYLES[style](number))
    response = client_as(world.user("staff")).post(reverse("mentoring:youth-create"), data)
    assert response.status_code == 302, field_errors(response.content.decode(), "id_number")
    assert Youth.objects.get(name="李测小明").id_number == number


def test_import_accepts_a_pasted_id_with_spaces(world, client_as):
    pasted = PASTE_STYLES["full-width"](person_id(1))
    response = upload(client_as(world.user("staff")), xlsx([row(world.a.station, 1, 身份证号=pasted)]))
    plan = response.context["plan"]
    assert plan.errors == [] and plan.is_valid


NUMERIC_ID = (
    "身份证号单元格被 Excel 存成了数字，只保留 15 位有效数字，末尾几位已无法还原（系统不会猜测）；"
    "请将该列设置为文本格式后重新填写身份证号"
)


@pytest.mark.parametrize(
    "cell",
    [
        float(person_id(1)),  # what Excel keeps of an 18-digit number: 15 significant digits
        int(person_id(1)),  # a number cell, even one whose digits happen to be right
    ],
)
def test_import_reports_an_id_stored_as_a_number_without_showing_an_altered_number(world, client_as, cell):
    response = upload(client_as(world.user("staff")), xlsx([row(world.a.station, 1, 身份证号=cell)]))
    plan = response.context["plan"]
    [error] = plan.errors
    assert error.column == "身份证号" and error.message == NUMERIC_ID
    page = response.content.decode()
    assert NUMERIC_ID in page
    altered = str(int(float(person_id(1))))
    assert altered not in page and person_id(1)[:15] not in page
    assert not Volunteer.objects.exists()


def test_import_reports_a_csv_id_in_scientific_notation_as_a_number(world, client_as):
    header = ",".join(c for c in ["工作站编号", "姓名", "身份证号", "人员类型", "入列日期"])
    line = f"{world.a.station.code},导入1号,1.10105E+17,退休民警,2024-01-16"
    response = upload(client_as(world.user("staff")), f"{header}\n{line}\n".encode(), name="志愿者.csv")
    [error] = response.context["plan"].errors
    assert error.message == NUMERIC_ID and "1.10105E+17" not in response.content.decode()
