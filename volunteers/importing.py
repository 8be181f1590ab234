"""Excel/CSV import of the volunteer roster (SECURITY IN-4, IN-5, AC-6).

Upload → `read_table` (size, type, zip and row limits, streamed) → `validate_rows` (every row error
with row, column, value and a Chinese message; station codes and ID hashes resolved in bulk) →
preview → `volunteer_import` (one transaction, bulk writes, all-or-nothing, idempotent on station +
ID hash). A row that matches a person current in another station is a row error, never an update.
"""

import csv
import hashlib
import io
import json
import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from openpyxl import Workbook, load_workbook
from openpyxl.utils.datetime import from_excel
from openpyxl.worksheet.datavalidation import DataValidation

from stations import idnumbers, uploads
from stations.audit.log import audit
from stations.exports.xlsx import header_width, print_setup
from stations.forms import clean_text
from stations.models import AuditEntry, PeriodLock, StationStatus, Workstation
from stations.phones import normalise_phone
from stations.roles import require
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

MAX_COLUMNS = 60
BLANK_RUN_END = 1000  # this many empty rows in a row end the table (trailing empty rows never count)
BATCH = 500
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")


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


COLUMNS = (
    Column("station_code", "工作站编号", True, width=14, note="见“代码表”，只能填写本人管辖范围内的工作站"),
    Column("name", "姓名", True, width=10),
    Column("gender", "性别", False, tuple(Gender.choices), 6, "可留空，按身份证号自动填写"),
    Column("id_number", "身份证号", True, width=22, note="18 位，请将单元格设为文本格式"),
    Column("birth_date", "出生日期", False, width=12, note="可留空；如 2024-01-16、2024/1/16、2024年1月16日"),
    Column("mobile", "手机号码", False, width=14, note="11 位手机号"),
    Column("elder_category", "五老类别", False, tuple(ElderCategory.choices), 10, "留空为“非五老”"),
    Column("member_type", "人员类型", True, tuple(MemberType.choices), 12),
    Column("former_unit", "原工作单位", width=18),
    Column("former_rank", "原职务/警衔", width=12),
    Column("political_status", "政治面貌", width=10),
    Column("health", "健康状况", width=10),
    Column("skills", "特长", width=16),
    Column("position", "站内职务", False, tuple(Position.choices), 10, "留空为“成员”"),
    Column("roles", "站内角色", False, tuple(StationRole.choices), 24, "可填多个，用顿号“、”分隔"),
    Column("joined_on", "入列日期", True, width=12, note="如 2024-01-16"),
)
BY_HEADER = {c.header: c for c in COLUMNS}
MAX_LENGTHS = {
    f.name: f.max_length for f in Volunteer._meta.concrete_fields if getattr(f, "max_length", None) is not None
}
UPDATABLE = ["name", *VOLUNTEER_DETAILS]


class ImportRefused(Exception):
    """The whole file is refused (type, size, zip structure, row limit, missing headers)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str


@dataclass
class ImportPlan:
    rows: int = 0
    errors: list[RowError] = field(default_factory=list)
    creates: list[tuple[Volunteer, list[str]]] = field(default_factory=list)
    updates: list[tuple[Volunteer, list[str], list[str] | None]] = field(default_factory=list)
    unchanged: int = 0
    checksum: str = ""
    seen_before: bool = False  # the same file (SHA-256) was imported before (IN-4: warn on re-upload)
    parsed: "ParsedFile | None" = None

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.rows > 0


# --- reading ----------------------------------------------------------------------------------------


def _header(value) -> str:
    return re.sub(r"[\s*＊]|（必填）|\(必填\)", "", str(value or ""))


def _is_blank(values) -> bool:
    return all(v is None or (isinstance(v, str) and not v.strip()) for v in values)


def _check_zip(data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("文件内容不是 Excel（xlsx）格式，请另存为 .xlsx 后重新上传。"))
    try:
        infos = uploads.zip_entries(io.BytesIO(data))  # the same zip limits as every other upload
    except ValidationError as exc:
        raise ImportRefused(exc.messages[0]) from exc
    if "[Content_Types].xml" not in {info.filename for info in infos}:
        raise ImportRefused(_("文件内容不是 Excel（xlsx）格式，请另存为 .xlsx 后重新上传。"))


def _stream(rows_iter):
    """Yield (row number, values) of non-empty rows; stop at the row limit or a long run of empty rows."""
    limit = max_rows()
    blank_run = 0
    data_rows = -1  # the header row does not count
    for number, values in rows_iter:
        values = tuple(values)[:MAX_COLUMNS]
        if _is_blank(values):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                return
            continue
        blank_run = 0
        data_rows += 1
        if data_rows > limit:
            raise ImportRefused(_("数据超过 %(n)d 行，请拆分文件后分批导入。") % {"n": limit})
        yield number, values


def _xlsx_rows(data: bytes):
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken or hostile files
        raise ImportRefused(_("文件已损坏或不是有效的 Excel 文件。")) from exc
    try:
        for sheet in workbook.worksheets:
            rows = sheet.iter_rows(values_only=True, max_col=MAX_COLUMNS)
            first = next(rows, None)
            if first is None or "身份证号" not in {_header(v) for v in first}:
                continue
            yield 1, first
            yield from enumerate(rows, start=2)
            return
    finally:
        workbook.close()


def _csv_rows(data: bytes):
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise ImportRefused(_("文件内容不是 CSV 文本，请检查文件格式。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            text = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_("CSV 文件编码无法识别（请使用 UTF-8 或 GB18030）。"))
    reader = csv.reader(io.StringIO(text))
    yield from enumerate(reader, start=1)


def read_table(name: str, data: bytes):
    """(headers → column index, iterator of (row number, values)); ImportRefused for a refused file."""
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(
            _("文件过大：%(size).1f MB，上限 %(limit)d MB。")
            % {"size": len(data) / 1048576, "limit": settings.UPLOAD_MAX_BYTES // 1048576}
        )
    extension = Path(name or "").suffix.lower()
    if extension == ".xlsx":
        source = _xlsx_rows(data)
    elif extension == ".csv":
        source = _csv_rows(data)
    else:
        raise ImportRefused(_("仅支持 Excel（.xlsx）或 CSV（.csv）文件。"))
    rows = _stream(source)
    first = next(rows, None)
    if first is None:
        raise ImportRefused(_("文件中没有找到志愿者表（第一行应为表头，包含“身份证号”等列）。"))
    _number, header_values = first
    index = {}
    for position, value in enumerate(header_values):
        column = BY_HEADER.get(_header(value))
        if column and column.key not in index:
            index[column.key] = position
    missing = [c.header for c in COLUMNS if c.required and c.key not in index]
    if missing:
        raise ImportRefused(_("表头缺少必填列：%(cols)s。请使用下载的模板。") % {"cols": "、".join(missing)})
    return index, rows


# --- parsing values ---------------------------------------------------------------------------------

DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})(?:[ T]\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})日?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)


def parse_date(value) -> date:
    """2024-01-16, 2024/1/16, 2024年1月16日, 20240116, an Excel date cell or an Excel serial number."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("bool")
    if isinstance(value, int | float):
        return _serial(value)
    text = unicodedata.normalize("NFKC", str(value)).strip()
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            year, month, day = map(int, match.groups())
            return date(year, month, day)
    if re.fullmatch(r"\d{1,5}(\.0+)?", text):
        return _serial(float(text))
    raise ValueError(text)


def _serial(value: float) -> date:
    if not 1 <= value < 2958466:
        raise ValueError(value)
    result = from_excel(value)
    return result.date() if isinstance(result, datetime) else result


def _text(value) -> str:
    """A cell as clean text; numbers without '.0'; one CSV escape quote before a formula prefix removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%Y-%m-%d")
    text = clean_text(str(value))
    if text.startswith("'") and text[1:].startswith(FORMULA_PREFIXES):
        text = text[1:]
    return text


SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+]?\d+")


def _stored_as_number(value) -> bool:
    """A number cell (openpyxl gives int or float), or a CSV value Excel wrote in scientific notation."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and bool(SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", value).strip()))


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


def _parse_row(number: int, values, index: dict) -> tuple[dict, list[RowError]]:
    data, errors = {}, []

    def error(column: Column, value, message):
        errors.append(RowError(number, column.header, str(value)[:100] if value is not None else "", message))

    for column in COLUMNS:
        raw = values[index[column.key]] if column.key in index and index[column.key] < len(values) else None
        if column.key in ("birth_date", "joined_on"):
            if raw is None or (isinstance(raw, str) and not raw.strip()):
                if column.required:
                    error(column, "", _("必填项未填写"))
                data[column.key] = None
                continue
            try:
                data[column.key] = parse_date(raw)
            except (ValueError, TypeError, OverflowError):
                error(column, _text(raw), _("日期格式不正确（如 2024-01-16、2024/1/16、2024年1月16日）"))
                data[column.key] = None
            else:
                if data[column.key] > timezone.localdate():
                    error(column, _text(raw), _("日期不能晚于今天"))
            continue
        if column.key == "id_number" and _stored_as_number(raw):
            # Excel keeps 15 significant digits: the cell's digits are not the number that was typed.
            error(column, "", _("身份证号单元格被存为数字，请将该列设置为文本格式后重新填写"))
            data[column.key] = ""
            continue
        text = _text(raw)
        if column.key == "id_number":
            text = idnumbers.normalise(text)  # a number pasted with spaces still fits the length check
        if not text:
            if column.required:
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
    by_key = {c.key: c for c in COLUMNS}
    if data.get("id_number"):
        try:
            number_ok = idnumbers.validate(
                data["id_number"], birth_date=data.get("birth_date"), gender=data.get("gender") or None
            )
        except ValidationError as exc:
            error(by_key["id_number"], data["id_number"], " ".join(exc.messages))
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
            error(by_key["mobile"], data["mobile"], exc.messages[0])
    if data.get("birth_date") and data.get("joined_on") and data["joined_on"] < data["birth_date"]:
        error(by_key["joined_on"], data["joined_on"], _("入列日期早于出生日期"))
    return data, errors


def _chunks(items, size=BATCH):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


@dataclass
class ParsedFile:
    """The file's rows as read (limits already enforced). Kept as JSON between preview and confirm so
    the confirm step validates again against the database without parsing the workbook twice."""

    checksum: str
    index: dict
    rows: list

    def to_json(self) -> str:
        return json.dumps({"checksum": self.checksum, "index": self.index, "rows": self.rows}, default=_encode)

    @classmethod
    def from_json(cls, text: str) -> "ParsedFile":
        data = json.loads(text, object_hook=_decode)
        return cls(data["checksum"], data["index"], [(number, tuple(values)) for number, values in data["rows"]])


def _encode(value):
    if isinstance(value, datetime):
        return {"__dt": value.isoformat()}
    if isinstance(value, date):
        return {"__d": value.isoformat()}
    if isinstance(value, dt_time | timedelta | Decimal):
        return str(value)
    raise TypeError(type(value))


def _decode(obj):
    if "__dt" in obj:
        return datetime.fromisoformat(obj["__dt"])
    if "__d" in obj:
        return date.fromisoformat(obj["__d"])
    return obj


def parse_file(name: str, data: bytes) -> ParsedFile:
    index, rows = read_table(name, data)
    return ParsedFile(hashlib.sha256(data).hexdigest(), index, list(rows))


def validate_rows(*, user, name: str, data: bytes | None = None, parsed: ParsedFile | None = None) -> ImportPlan:
    """Read and check the whole file; resolve stations and ID hashes in bulk. Writes nothing."""
    parsed_file = parsed if parsed is not None else parse_file(name, data)
    plan = ImportPlan(checksum=parsed_file.checksum, parsed=parsed_file)
    plan.seen_before = AuditEntry.objects.filter(action="volunteer.import", changes__sha256=plan.checksum).exists()
    parsed: list[tuple[int, dict]] = []
    for number, values in parsed_file.rows:
        row, errors = _parse_row(number, values, parsed_file.index)
        plan.errors.extend(errors)
        parsed.append((number, row))
    plan.rows = len(parsed)
    if not parsed:
        raise ImportRefused(_("文件中没有数据行。"))

    station_col, id_col = BY_HEADER["工作站编号"], BY_HEADER["身份证号"]
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
            plan.errors.append(RowError(number, station_col.header, code, _("工作站编号不存在")))
        elif station is not None and station.pk not in visible:
            plan.errors.append(RowError(number, station_col.header, code, _("该工作站不在您的管辖范围内")))
            station = None
        elif station is not None and station.status != StationStatus.ACTIVE:
            plan.errors.append(RowError(number, station_col.header, code, _("该工作站不在运行状态，不能导入人员")))
            station = None
        id_hash = row.get("id_hash")
        if id_hash:
            if id_hash in seen:
                plan.errors.append(
                    RowError(
                        number, id_col.header, row["id_number"], _("与第 %(n)d 行身份证号重复") % {"n": seen[id_hash]}
                    )
                )
                continue
            seen[id_hash] = number
        if station is None or not id_hash:
            continue
        if row.get("joined_on") and (station.pk, row["joined_on"].year) in locked:
            plan.errors.append(
                RowError(
                    number,
                    BY_HEADER["入列日期"].header,
                    str(row["joined_on"]),
                    _("该年度台账已提交并锁定，不能导入该年度入列的人员"),
                )
            )
            continue
        existing = current.get(id_hash)
        if existing is not None and existing.workstation_id != station.pk:
            plan.errors.append(
                RowError(
                    number, id_col.header, row["id_number"], _("该人员已在其他工作站在册，不能通过导入修改或重复登记")
                )
            )
            continue
        if existing is None and (station.pk, id_hash) in former:
            plan.errors.append(
                RowError(
                    number, id_col.header, row["id_number"], _("该人员曾在本站登记并已退出，如需重新入列请在系统中办理")
                )
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
def volunteer_import(*, actor, name: str, data: bytes | None = None, parsed: ParsedFile | None = None) -> ImportPlan:
    """Validate again and write everything in one transaction, or nothing (IN-4)."""
    require(actor, "volunteers.import")
    plan = validate_rows(user=actor, name=name, data=data, parsed=parsed)
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
        },
    )
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
        "1. 在“志愿者”表中每行填写一名人员，第一行表头不要修改。",
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
