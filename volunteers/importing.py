"""Excel/CSV import of the volunteer roster (SECURITY IN-4, IN-5, AC-6).

Upload → `parse_file` (the shared reader of `stations.imports`: size, type, zip and row limits; header
row, merged cells, blank and total rows) → column mapping (suggested, remembered per station) →
`validate_rows` (every row error with row, column, value and a Chinese message; station codes and ID
hashes resolved in bulk) → preview → `volunteer_import` (one transaction, bulk writes, all-or-nothing,
idempotent on station + ID hash). A row that matches a person current in another station is a row error,
never an update.
"""

import io
import re
import unicodedata
from dataclasses import dataclass, field

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.worksheet.datavalidation import DataValidation

from stations import idnumbers
from stations.audit.log import audit
from stations.exports.xlsx import header_width, print_setup
from stations.imports import cells
from stations.imports.cells import parse_date
from stations.imports.mapping import check, from_post, mapping_remember, mapping_remembered, suggest
from stations.imports.reader import Field, ImportRefused, Sheet, read_sheet
from stations.masking import mask_id_number
from stations.models import AuditEntry, PeriodLock, StationStatus, Workstation
from stations.phones import normalise_phone
from stations.roles import require, works_at_station
from stations.scoping import for_stations, visible_to

from .models import (
    CURRENT_STATUSES,
    VOLUNTEER_DETAILS,
    ElderCategory,
    Gender,
    MemberType,
    Position,
    StationRole,
    Volunteer,
    VolunteerRole,
)
from .services import sync_station_officers

BATCH = 500
KIND = "volunteers"


def max_rows() -> int:
    return settings.VOLUNTEER_IMPORT_MAX_ROWS


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    choices: tuple = ()  # (value, label) pairs: a drop-down in the template
    width: int = 14
    note: str = ""
    synonyms: tuple[str, ...] = ()  # what county and station rosters call the column


COLUMNS = (
    Column(
        "station_code",
        "工作站编号",
        True,
        width=14,
        note="见“代码表”，只能填写本人管辖范围内的工作站；本站人员导入本站名册时可不填",
        synonyms=("工作站代码", "站点编号", "工作站编码"),
    ),
    Column("name", "姓名", True, width=10, synonyms=("名字", "人员姓名", "志愿者姓名", "五老姓名")),
    Column("gender", "性别", False, tuple(Gender.choices), 6, "可留空，按身份证号自动填写"),
    Column(
        "id_number",
        "身份证号",
        True,
        width=22,
        note="18 位，请将单元格设为文本格式",
        synonyms=("身份证号码", "公民身份号码", "公民身份证号", "身份证", "证件号码", "居民身份证号码"),
    ),
    Column(
        "birth_date",
        "出生日期",
        False,
        width=12,
        note="可留空；如 2024-01-16、2024/1/16、2024年1月16日",
        synonyms=("出生年月日", "出生年月", "生日"),
    ),
    Column(
        "mobile",
        "手机号码",
        False,
        width=14,
        note="11 位手机号",
        synonyms=("联系电话", "手机", "手机号", "电话", "联系方式", "电话号码"),
    ),
    Column(
        "elder_category",
        "五老类别",
        False,
        tuple(ElderCategory.choices),
        10,
        "留空为“非五老”",
        synonyms=("五老类型", "类别"),
    ),
    Column("member_type", "人员类型", True, tuple(MemberType.choices), 12, synonyms=("人员类别", "身份", "人员身份")),
    Column("former_unit", "原工作单位", width=18, synonyms=("原单位", "工作单位", "原工作单位及职务")),
    Column("former_rank", "原职务/警衔", width=12, synonyms=("原职务", "职务", "警衔", "原职级")),
    Column("political_status", "政治面貌", width=10),
    Column("health", "健康状况", width=10, synonyms=("身体状况",)),
    Column("skills", "特长", width=16, synonyms=("专长", "个人特长")),
    Column("position", "站内职务", False, tuple(Position.choices), 10, "留空为“成员”", synonyms=("站内职位",)),
    Column(
        "roles",
        "站内角色",
        False,
        tuple(StationRole.choices),
        24,
        "可填多个，用顿号“、”分隔",
        synonyms=("角色", "分工", "站内分工"),
    ),
    Column(
        "joined_on",
        "入列日期",
        True,
        width=12,
        note="如 2024-01-16",
        synonyms=("加入日期", "入站日期", "入列时间", "加入时间", "聘任日期", "聘请时间"),
    ),
)
BY_KEY = {c.key: c for c in COLUMNS}
FIELDS = [Field(c.key, c.header, c.synonyms, c.required) for c in COLUMNS]
MAX_LENGTHS = {
    f.name: f.max_length for f in Volunteer._meta.concrete_fields if getattr(f, "max_length", None) is not None
}
UPDATABLE = ["name", *VOLUNTEER_DETAILS]
PREVIEW_ROWS = 5


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str
    letter: str = ""  # the sheet's column letter ("C"), so the user finds the cell


@dataclass
class ImportPlan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[tuple[Volunteer, list[str]]] = field(default_factory=list)
    updates: list[tuple[Volunteer, list[str], list[str] | None]] = field(default_factory=list)
    unchanged: int = 0
    checksum: str = ""
    seen_before: bool = False  # the same file (SHA-256) was imported before (IN-4: warn on re-upload)
    parsed: Sheet | None = None
    mapping: dict[int, str] = field(default_factory=dict)

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.rows > 0


# --- reading and mapping ----------------------------------------------------------------------------


def parse_file(name: str, data: bytes) -> Sheet:
    """The file's table as read (limits enforced, header found, blank and total rows skipped)."""
    return read_sheet(name, data, FIELDS, limit=max_rows(), what=_("志愿者"))


read_table = parse_file


def default_station_code(user) -> str:
    """A station user's roster may leave out the station column: the rows are the user's own station's."""
    return user.workstation.code if works_at_station(user) else ""


def suggested_mapping(*, user, sheet: Sheet) -> dict[int, str]:
    return suggest(sheet, FIELDS, mapping_remembered(user=user, kind=KIND))


def mapping_from_post(data, sheet: Sheet) -> dict[int, str]:
    return from_post(data, sheet, FIELDS)


def mapping_problems(*, user, mapping: dict[int, str]) -> list[str]:
    optional = {"station_code"} if default_station_code(user) else set()
    return check(mapping, FIELDS, optional=optional)


# --- parsing values ---------------------------------------------------------------------------------

_CHOICE_MAPS: dict[tuple[str, str], dict[str, str]] = {}


def _choice(column: Column, text: str):
    """The code for a label or a code (labels translated once per column and language, not per cell)."""
    key = (column.key, get_language() or "")
    mapping = _CHOICE_MAPS.get(key)
    if mapping is None:
        mapping = {value: value for value, _label in column.choices}
        mapping.update({str(label): value for value, label in column.choices})
        _CHOICE_MAPS[key] = mapping
    return mapping.get(text)


def _roles(column: Column, text: str):
    roles, bad = [], []
    for part in re.split(r"[、,，;；/\s]+", text):
        if not part:
            continue
        value = _choice(column, part)
        (roles if value else bad).append(value or part)
    return sorted(set(roles)), bad


# --- validation ---------------------------------------------------------------------------------------


def _parse_row(number: int, values, sheet: Sheet, mapping: dict[int, str], default_code: str = ""):
    """(row data, row errors) of one sheet row read through the mapping."""
    data, errors = {}, []
    position_of = {key: position for position, key in mapping.items()}

    def error(column: Column, value, message):
        position = position_of.get(column.key)
        header = sheet.headers[position] if position is not None and sheet.headers[position] else column.header
        letter = sheet.letter(position) if position is not None else ""
        errors.append(RowError(number, header, str(value)[:100] if value is not None else "", message, letter))

    for column in COLUMNS:
        position = position_of.get(column.key)
        raw = values[position] if position is not None and position < len(values) else None
        if column.key in ("birth_date", "joined_on"):
            if cells.is_blank(raw):
                if column.required:
                    error(column, "", _("必填项未填写"))
                data[column.key] = None
                continue
            try:
                data[column.key] = parse_date(raw)
            except (ValueError, TypeError, OverflowError):
                error(
                    column,
                    cells.text(raw),
                    _("日期格式不正确（如 2024-01-16、2024/1/16、2024.1.16、2024年1月16日、20240116）"),
                )
                data[column.key] = None
            else:
                if data[column.key] > timezone.localdate():
                    error(column, cells.text(raw), _("日期不能晚于今天"))
            continue
        if column.key == "id_number" and cells.stored_as_number(raw):
            # Excel keeps 15 significant digits: the cell's digits are not the number that was typed.
            error(column, "", cells.numeric_id_message())
            data[column.key] = ""
            continue
        text = cells.text(raw)
        if column.key == "id_number":
            text = idnumbers.normalise(text)  # a number pasted with spaces still fits the length check
        elif column.key == "mobile":
            text = cells.digits(raw)
        elif column.key == "station_code":
            text = unicodedata.normalize("NFKC", text).strip()
        if column.key == "station_code" and not text and position is None:
            text = default_code
        if not text:
            if column.required and not (column.key == "station_code" and default_code and position is None):
                error(column, "", _("必填项未填写"))
            data[column.key] = ""
            continue
        if column.key == "roles":
            roles, bad = _roles(column, text)
            if bad:
                error(column, text, _("站内角色不正确：%(bad)s") % {"bad": "、".join(bad)})
            data["roles"] = roles
            continue
        if column.choices:
            value = _choice(column, text)
            if value is None:
                labels = "、".join(str(label) for _v, label in column.choices)
                error(column, text, _("不是可选的值，应为：%(labels)s") % {"labels": labels})
            data[column.key] = value or ""
            continue
        limit = MAX_LENGTHS.get(column.key)
        if limit and len(text) > limit:
            error(column, text, _("内容过长（最多 %(n)d 个字符）") % {"n": limit})
        data[column.key] = text
    data.setdefault("roles", [])
    if not data.get("roles"):
        data["roles"] = []
    data["elder_category"] = data.get("elder_category") or ElderCategory.NONE
    data["position"] = data.get("position") or Position.MEMBER
    if data.get("id_number"):
        try:
            number_ok = idnumbers.validate(
                data["id_number"], birth_date=data.get("birth_date"), gender=data.get("gender") or None
            )
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if cells.looks_zero_filled(data["id_number"]):
                message += _(
                    "末尾是 000：可能是 Excel 把身份证号存成数字后丢失了末尾几位，系统不会猜测；"
                    "请把该列设为文本格式后重新填写。"
                )
            error(BY_KEY["id_number"], data["id_number"], message)
            data["id_hash"] = ""
        else:
            data["id_number"] = number_ok
            data["birth_date"] = data.get("birth_date") or idnumbers.birth_date_of(number_ok)
            data["gender"] = data.get("gender") or idnumbers.gender_of(number_ok)
            data["id_hash"] = idnumbers.lookup_hash(number_ok)
    if data.get("mobile"):
        try:
            data["mobile"] = normalise_phone(data["mobile"], mobile=True)
        except ValidationError as exc:
            error(BY_KEY["mobile"], data["mobile"], exc.messages[0])
    if data.get("birth_date") and data.get("joined_on") and data["joined_on"] < data["birth_date"]:
        error(BY_KEY["joined_on"], data["joined_on"], _("入列日期早于出生日期"))
    return data, errors


def _display(column: Column, data: dict) -> str:
    value = data.get(column.key)
    if value in (None, "", []):
        return ""
    if column.key == "id_number":
        return mask_id_number(value)
    if column.key == "roles":
        labels = dict(column.choices)
        return "、".join(str(labels.get(v, v)) for v in value)
    if column.choices:
        return str(dict(column.choices).get(value, value))
    return str(value)


def preview_rows(*, user, sheet: Sheet, mapping: dict[int, str], count: int = PREVIEW_ROWS) -> list[dict]:
    """The first rows as the import will read them through `mapping`: per column the value or the problem.
    ID numbers are shown masked: the preview is for checking columns, not for reading identities."""
    default_code = default_station_code(user)
    result = []
    for number, values in sheet.rows[:count]:
        data, errors = _parse_row(number, values, sheet, mapping, default_code)
        problems = {e.letter: e.message for e in errors}
        row = []
        for position in range(len(sheet.headers)):
            key = mapping.get(position)
            if key is None:
                row.append({"value": cells.text(values[position]) if position < len(values) else "", "skip": True})
                continue
            letter = sheet.letter(position)
            row.append({"value": _display(BY_KEY[key], data), "problem": problems.get(letter, "")})
        result.append({"number": number, "cells": row})
    return result


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def validate_rows(
    *,
    user,
    name: str,
    data: bytes | None = None,
    parsed: Sheet | None = None,
    mapping: dict[int, str] | None = None,
) -> ImportPlan:
    """Read and check the whole file; resolve stations and ID hashes in bulk. Writes nothing.

    Without `mapping` the suggested one is used; a mapping that misses a required column is refused."""
    sheet = parsed if parsed is not None else parse_file(name, data)
    if mapping is None:
        mapping = suggested_mapping(user=user, sheet=sheet)
    problems = mapping_problems(user=user, mapping=mapping)
    if problems:
        raise ImportRefused(" ".join(problems))
    plan = ImportPlan(checksum=sheet.checksum, parsed=sheet, mapping=mapping)
    plan.seen_before = AuditEntry.objects.filter(action="volunteer.import", changes__sha256=plan.checksum).exists()
    default_code = default_station_code(user)
    parsed: list[tuple[int, dict]] = []
    for number, values in sheet.rows:
        row, errors = _parse_row(number, values, sheet, mapping, default_code)
        plan.errors.extend(errors)
        parsed.append((number, row))
    plan.rows = len(parsed)
    if not parsed:
        raise ImportRefused(_("文件中没有数据行。"))

    position_of = {key: position for position, key in mapping.items()}

    def column_of(key: str) -> tuple[str, str]:
        position = position_of.get(key)
        if position is None:
            return BY_KEY[key].header, ""
        return sheet.headers[position] or BY_KEY[key].header, sheet.letter(position)

    def row_error(number, key, value, message):
        header, letter = column_of(key)
        plan.errors.append(RowError(number, header, value, message, letter))

    codes = {row["station_code"] for _n, row in parsed if row.get("station_code")}
    stations: dict[str, Workstation] = {}
    visible: set[int] = set()
    for chunk in _chunks(codes):
        stations.update({s.code: s for s in Workstation.objects.unscoped("identity_match").filter(code__in=chunk)})
        visible |= set(visible_to(Workstation.objects.filter(code__in=chunk), user).values_list("pk", flat=True))
    locked = set(for_stations(PeriodLock.objects.filter(is_locked=True), visible).values_list("workstation_id", "year"))

    hashes = {row["id_hash"] for _n, row in parsed if row.get("id_hash")}
    current: dict[str, Volunteer] = {}
    former: set[tuple[int, str]] = set()
    for chunk in _chunks(hashes):
        for volunteer in (
            Volunteer.objects.unscoped("identity_match").filter(id_hash__in=chunk).prefetch_related("roles")
        ):
            if volunteer.status in CURRENT_STATUSES:
                current[volunteer.id_hash] = volunteer
            else:
                former.add((volunteer.workstation_id, volunteer.id_hash))

    seen: dict[str, int] = {}
    for number, row in parsed:
        code = row.get("station_code")
        station = stations.get(code) if code else None
        if code and station is None:
            row_error(number, "station_code", code, _("工作站编号不存在"))
        elif station is not None and station.pk not in visible:
            row_error(number, "station_code", code, _("该工作站不在您的管辖范围内"))
            station = None
        elif station is not None and station.status != StationStatus.ACTIVE:
            row_error(number, "station_code", code, _("该工作站不在运行状态，不能导入人员"))
            station = None
        id_hash = row.get("id_hash")
        if id_hash:
            if id_hash in seen:
                row_error(number, "id_number", row["id_number"], _("与第 %(n)d 行身份证号重复") % {"n": seen[id_hash]})
                continue
            seen[id_hash] = number
        if station is None or not id_hash:
            continue
        if row.get("joined_on") and (station.pk, row["joined_on"].year) in locked:
            row_error(number, "joined_on", str(row["joined_on"]), _("该年度台账已提交并锁定，不能导入该年度入列的人员"))
            continue
        existing = current.get(id_hash)
        if existing is not None and existing.workstation_id != station.pk:
            row_error(number, "id_number", row["id_number"], _("该人员已在其他工作站在册，不能通过导入修改或重复登记"))
            continue
        if existing is None and (station.pk, id_hash) in former:
            row_error(
                number, "id_number", row["id_number"], _("该人员曾在本站登记并已退出，如需重新入列请在系统中办理")
            )
            continue
        if plan.errors:
            continue  # nothing will be written: skip building objects
        fields = {key: row[key] for key in UPDATABLE}
        if existing is None:
            volunteer = Volunteer(workstation=station, id_number=row["id_number"], id_hash=id_hash, **fields)
            plan.creates.append((volunteer, row["roles"]))
            continue
        changed = [key for key in UPDATABLE if getattr(existing, key) != fields[key]]
        old_roles = sorted(r.role for r in existing.roles.all())
        new_roles = row["roles"] if row["roles"] != old_roles else None
        if changed or new_roles is not None:
            for key in changed:
                setattr(existing, key, fields[key])
            plan.updates.append((existing, changed, new_roles))
        else:
            plan.unchanged += 1
    if plan.errors:
        plan.creates, plan.updates, plan.unchanged = [], [], 0
        plan.errors.sort(key=lambda e: e.row)
    return plan


@transaction.atomic
def volunteer_import(
    *,
    actor,
    name: str,
    data: bytes | None = None,
    parsed: Sheet | None = None,
    mapping: dict[int, str] | None = None,
) -> ImportPlan:
    """Validate again and write everything in one transaction, or nothing (IN-4). The confirmed column
    mapping is remembered for the actor's station."""
    require(actor, "volunteers.import")
    plan = validate_rows(user=actor, name=name, data=data, parsed=parsed, mapping=mapping)
    if not plan.is_valid:
        return plan
    try:
        for chunk in _chunks(plan.creates):
            created = Volunteer.objects.bulk_create([volunteer for volunteer, _roles in chunk])
            VolunteerRole.objects.bulk_create(
                [
                    VolunteerRole(volunteer=v, role=role)
                    for v, (_same, roles) in zip(created, chunk, strict=True)
                    for role in roles
                ]
            )
        for chunk in _chunks(plan.updates):
            for volunteer, _changed, _roles in chunk:
                volunteer.version += 1
                volunteer.updated_at = timezone.now()
            Volunteer.objects.unscoped("scope_check").bulk_update(
                [v for v, _c, _r in chunk], [*UPDATABLE, "version", "updated_at"]
            )
            role_changes = [(v, roles) for v, _c, roles in chunk if roles is not None]
            if role_changes:
                VolunteerRole.objects.unscoped("scope_check").filter(
                    volunteer__in=[v for v, _r in role_changes]
                ).delete()
                VolunteerRole.objects.bulk_create(
                    [VolunteerRole(volunteer=v, role=role) for v, roles in role_changes for role in roles]
                )
    except IntegrityError as exc:  # a concurrent edit registered the same person meanwhile
        raise ValidationError(_("导入时发现重复人员（可能有其他用户同时录入），请重新上传预览。")) from exc
    station_ids = sorted(
        {v.workstation_id for v, _r in plan.creates} | {v.workstation_id for v, _c, _r in plan.updates}
    )
    sync_station_officers(station_ids)
    audit(
        actor=actor,
        action="volunteer.import",
        object_repr=f"志愿者导入：{name}"[:200],
        changes={
            "file": name[:100],
            "sha256": plan.checksum,
            "rows": plan.rows,
            "created": len(plan.creates),
            "updated": len(plan.updates),
            "unchanged": plan.unchanged,
            "stations": station_ids,
            "sheet": plan.parsed.sheet_name[:50],
            "header_row": plan.parsed.header_row,
            "skipped_blank": plan.parsed.skipped_blank,
            "skipped_total": plan.parsed.skipped_total,
            "columns": {plan.parsed.headers[p][:40]: key for p, key in sorted(plan.mapping.items())},
        },
    )
    mapping_remember(actor=actor, kind=KIND, sheet=plan.parsed, mapping=plan.mapping)
    return plan


# --- template -----------------------------------------------------------------------------------------


def _text_cell(sheet, row, column, value):
    cell = sheet.cell(row=row, column=column, value=value)
    if isinstance(value, str):
        cell.data_type = "s"  # never a formula (OUT-3)
    return cell


def build_template(*, user) -> bytes:
    """The import template: instructions, the data sheet with drop-down lists, and a code sheet."""
    from openpyxl.styles import Font, PatternFill
    from openpyxl.utils import get_column_letter

    workbook = Workbook()
    guide = workbook.active
    guide.title = "填写说明"
    lines = [
        "关爱工作站志愿者导入模板",
        "",
        "1. 在“志愿者”表中每行填写一名人员。也可直接上传本单位平时使用的名册：系统自动找到表头，"
        "跳过标题、空行和合计行，并请您核对每一列对应的项目。",
        "2. 带 * 的列为必填；性别和出生日期可留空，系统按身份证号自动填写。",
        "3. 身份证号须通过校验位检查，请将该列设为文本格式，避免被 Excel 改成科学计数法。",
        "4. 日期可写作 2024-01-16、2024/1/16 或 2024年1月16日。",
        "5. 带下拉箭头的列请从下拉列表中选择；站内角色可填多个，用顿号“、”分隔。",
        "6. 同一工作站、同一身份证号重复导入时更新原记录，不会重复登记；已在其他工作站在册的人员不能导入。",
        f"7. 每个文件最多 {max_rows()} 行、不超过 {settings.UPLOAD_MAX_BYTES // 1048576} MB；"
        "有任何一行出错时整个文件都不导入，请按预览中的提示改正后重新上传。",
        "",
        "列说明：",
    ]
    for column in COLUMNS:
        lines.append(f"{column.header}{'（必填）' if column.required else ''}：{column.note}")
    for number, line in enumerate(lines, start=1):
        _text_cell(guide, number, 1, line)
    guide["A1"].font = Font(bold=True, size=14)
    guide.column_dimensions["A"].width = 100

    sheet = workbook.create_sheet("志愿者")
    codes = workbook.create_sheet("代码表")
    fill = PatternFill("solid", fgColor="DDE6F0")
    stations = list(
        visible_to(Workstation.objects.filter(status=StationStatus.ACTIVE), user)
        .order_by("code")
        .values_list("code", "name")
    )
    lists = [("工作站编号", [code for code, _name in stations]), ("工作站名称", [name for _code, name in stations])]
    for column in COLUMNS:
        if column.choices:
            lists.append((column.header, [str(label) for _v, label in column.choices]))
    list_ranges = {}
    for col, (title, values) in enumerate(lists, start=1):
        letter = get_column_letter(col)
        _text_cell(codes, 1, col, title).font = Font(bold=True)
        for row, value in enumerate(values, start=2):
            _text_cell(codes, row, col, value)
        codes.column_dimensions[letter].width = 24
        list_ranges[title] = f"代码表!${letter}$2:${letter}${max(len(values) + 1, 2)}"
    for col, column in enumerate(COLUMNS, start=1):
        letter = get_column_letter(col)
        cell = _text_cell(sheet, 1, col, column.header + ("*" if column.required else ""))
        cell.font, cell.fill = Font(bold=True), fill
        sheet.column_dimensions[letter].width = max(column.width, header_width(cell.value))
        if column.key in ("id_number", "mobile", "station_code"):
            for row in range(2, 202):
                sheet.cell(row=row, column=col).number_format = "@"
        source = list_ranges.get("工作站编号" if column.key == "station_code" else column.header)
        if source and column.key != "roles":
            validation = DataValidation(type="list", formula1=f"={source}", allow_blank=not column.required)
            validation.error = "请从下拉列表中选择"
            validation.errorTitle = column.header
            validation.showErrorMessage = True
            sheet.add_data_validation(validation)
            validation.add(f"{letter}2:{letter}{max_rows() + 1}")
    widths = [sheet.column_dimensions[get_column_letter(col)].width for col in range(1, len(COLUMNS) + 1)]
    print_setup(sheet, widths, header_row=1, key_columns=2)  # 工作站编号 and 姓名 on every page
    workbook.active = 1
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
