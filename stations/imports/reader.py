"""One reader for every spreadsheet import (issue 16): the file checks of SECURITY IN-5, then the sheet
as offices keep it — title rows above the header, merged cells, header names that differ from the
template, blank, subtotal and total rows, signature lines below the table.

`read_sheet` finds the header row by scoring rows against the known column names of the record kind,
fills merged cells with their value, and returns the data block with counts of what it skipped. It
knows nothing about a record kind beyond its `Field`s; validation is the importer's job.
"""

import csv
import hashlib
import io
import json
import re
import unicodedata
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from datetime import time as dt_time
from decimal import Decimal
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter, range_boundaries

from stations import uploads

from .cells import is_blank

MAX_COLUMNS = 60
HEADER_SCAN = 30  # the header row is looked for among the first rows with content
BLANK_RUN_END = 1000  # this many empty rows in a row end the table (trailing empty rows never count)
MAX_MERGES = 20_000
TOTAL_WORDS = ("合计", "总计", "共计", "小计")
END_WORDS = ("合计", "总计", "共计")  # a grand total ends the table; a subtotal (小计) does not
FOOTER_PREFIXES = (
    "填表人",
    "填报人",
    "制表人",
    "制表",
    "审核人",
    "审核",
    "负责人",
    "填表日期",
    "填报日期",
    "注：",
    "注:",
    "备注：",
)


class ImportRefused(Exception):
    """The whole file is refused (type, size, zip structure, row limit, no table found)."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class Field:
    """A column the importer understands: its key, the template's header and the names offices use."""

    key: str
    label: str
    synonyms: tuple[str, ...] = ()
    required: bool = False

    @property
    def names(self) -> set[str]:
        return {header_key(self.label), *(header_key(s) for s in self.synonyms)}


def header_key(value) -> str:
    """A header as compared: NFKC, no spaces, no required marks, no remark in brackets ('身份证号（18位）')."""
    result = unicodedata.normalize("NFKC", str(value or ""))
    result = re.sub(r"\(.*?\)|\[.*?\]|【.*?】", "", result)
    return re.sub(r"[\s*:：]", "", result)


@dataclass
class Sheet:
    """The data block of one sheet as read. Kept as JSON between the steps (mapping, preview, confirm),
    so later steps validate again against the database without parsing the workbook a second time."""

    checksum: str
    header_row: int  # the sheet row number of the (last) header row
    headers: list[str]  # one per column, merged header cells filled
    rows: list[tuple[int, tuple]]  # (sheet row number, values) of the data rows
    sheet_name: str = ""
    skipped_blank: int = 0
    skipped_total: int = 0
    ignored_after_end: int = 0  # rows with content below a total or signature line: not read
    end_row: int = 0  # the total or signature line that ended the table
    extra: dict = field(default_factory=dict)

    def letter(self, position: int) -> str:
        return get_column_letter(position + 1)

    def to_json(self) -> str:
        return json.dumps(self.__dict__, default=_encode, ensure_ascii=False)

    @classmethod
    def from_json(cls, text: str) -> "Sheet":
        data = json.loads(text, object_hook=_decode)
        data["rows"] = [(number, tuple(values)) for number, values in data["rows"]]
        return cls(**data)


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


# --- files --------------------------------------------------------------------------------------------


def _check_zip(data: bytes) -> None:
    if not data.startswith(b"PK\x03\x04"):
        raise ImportRefused(_("文件内容不是 Excel（xlsx）格式，请另存为 .xlsx 后重新上传。"))
    try:
        infos = uploads.zip_entries(io.BytesIO(data))  # the same zip limits as every other upload
    except ValidationError as exc:
        raise ImportRefused(exc.messages[0]) from exc
    if "[Content_Types].xml" not in {info.filename for info in infos}:
        raise ImportRefused(_("文件内容不是 Excel（xlsx）格式，请另存为 .xlsx 后重新上传。"))


MERGE = re.compile(rb"<(?:\w+:)?mergeCell\s+ref=\"([A-Z]{1,3}\d{1,7}:[A-Z]{1,3}\d{1,7})\"")


def _merged_ranges(archive: zipfile.ZipFile, path: str) -> list[tuple[int, int, int, int]]:
    """The sheet's merged ranges, read from its XML in chunks (read-only openpyxl does not give them)."""
    ranges, tail = [], b""
    try:
        with archive.open(path.lstrip("/")) as stream:
            while chunk := stream.read(1 << 20):
                text = tail + chunk
                for match in MERGE.finditer(text):
                    if len(ranges) < MAX_MERGES:
                        ranges.append(range_boundaries(match.group(1).decode()))
                tail = text[-200:]
    except KeyError:
        return []
    return sorted(set(ranges))


def _fill_merged(rows: list[tuple[int, list]], merges) -> None:
    """Give every cell of a merged range the value of its top-left cell (a station name merged down a
    group of rows, a header merged across its sub-columns)."""
    if not merges:
        return
    by_number = {number: values for number, values in rows}
    for min_col, min_row, max_col, max_row in merges:
        top = by_number.get(min_row)
        if top is None or min_col > MAX_COLUMNS or min_col - 1 >= len(top):
            continue
        value = top[min_col - 1]
        for number in range(min_row, max_row + 1):
            values = by_number.get(number)
            if values is None:
                continue
            for col in range(min_col, min(max_col, MAX_COLUMNS) + 1):
                while len(values) < col:
                    values.append(None)
                if values[col - 1] is None:
                    values[col - 1] = value


def _collect(rows_iter, limit: int) -> list[tuple[int, list]]:
    """Rows with content, with their sheet row numbers; a long run of empty rows ends the sheet."""
    result, blank_run = [], 0
    for number, values in rows_iter:
        values = list(values)[:MAX_COLUMNS]
        if all(is_blank(v) for v in values):
            blank_run += 1
            if blank_run >= BLANK_RUN_END:
                break
            continue
        blank_run = 0
        while values[-1] is None:
            values.pop()  # read-only rows come padded to the column limit
        result.append((number, values))
        if len(result) > limit + HEADER_SCAN:
            raise ImportRefused(_("数据超过 %(n)d 行，请拆分文件后分批导入。") % {"n": limit})
    return result


def _xlsx_sheets(data: bytes, limit: int):
    _check_zip(data)
    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds on broken or hostile files
        raise ImportRefused(_("文件已损坏或不是有效的 Excel 文件。")) from exc
    try:
        for sheet in workbook.worksheets:
            if getattr(sheet, "sheet_state", "visible") != "visible":
                continue
            try:
                rows = _collect(
                    enumerate(sheet.iter_rows(min_row=1, values_only=True, max_col=MAX_COLUMNS), start=1), limit
                )
            except ImportRefused:
                raise
            except Exception as exc:
                raise ImportRefused(_("文件已损坏或不是有效的 Excel 文件。")) from exc
            path = getattr(sheet, "_worksheet_path", "")
            if path and rows:
                _fill_merged(rows, _merged_ranges(workbook._archive, path))
            yield sheet.title, rows
    finally:
        workbook.close()


def _csv_sheets(data: bytes, limit: int):
    if data.startswith(b"PK\x03\x04") or b"\x00" in data:
        raise ImportRefused(_("文件内容不是 CSV 文本，请检查文件格式。"))
    for encoding in ("utf-8-sig", "gb18030"):
        try:
            decoded = data.decode(encoding)
            break
        except UnicodeDecodeError:
            continue
    else:
        raise ImportRefused(_("CSV 文件编码无法识别（请使用 UTF-8 或 GB18030）。"))
    yield "", _collect(enumerate(csv.reader(io.StringIO(decoded)), start=1), limit)


# --- the table inside a sheet -------------------------------------------------------------------------


def _score(values, names: dict[str, str]) -> int:
    return len({names[key] for key in (header_key(v) for v in values if isinstance(v, str)) if key in names})


def _looks_like_data(values) -> bool:
    return any(not isinstance(v, str) and v is not None for v in values) or any(
        isinstance(v, str) and re.fullmatch(r"[\d\s.\-/Xx年月日]{6,}", v) for v in values
    )


def _first_text(values) -> str:
    for value in values:
        if not is_blank(value):
            return re.sub(r"\s", "", unicodedata.normalize("NFKC", str(value)))
    return ""


def _is_total(values) -> str:
    """'合计' (or 总计, 小计…) when the row is a total line: its first cells say so."""
    for value in values[:4]:
        if isinstance(value, str):
            # "合计", "合 计", "合计：12人", "小计(3项)"; not a title that merely starts with the word
            key = re.sub(r"[\W\d_人项次场名个元]", "", unicodedata.normalize("NFKC", value))
            if key in TOTAL_WORDS:
                return key
    return ""


def _is_footer(values) -> bool:
    filled = [v for v in values if not is_blank(v)]
    return len(filled) <= 3 and _first_text(values).startswith(FOOTER_PREFIXES)


def _table(rows, fields) -> tuple[int, int, list[str], list] | None:
    """(score, sheet row number of the header, headers, data rows) of the best table in a sheet, None without one."""
    names = {name: f.key for f in fields for name in f.names}
    best, best_score = None, 1  # at least two known column names make a header row
    for index, (_number, values) in enumerate(rows[:HEADER_SCAN]):
        score = _score(values, names)
        if score > best_score:
            best, best_score = index, score
    if best is None:
        return None
    headers = [str(v).strip() if not is_blank(v) else "" for v in rows[best][1]]
    start = best + 1
    # A second header line (sub-columns under a merged group header): its names replace the group's.
    if start < len(rows) and _score(rows[start][1], names) and not _looks_like_data(rows[start][1]):
        lower = rows[start][1]
        for position, value in enumerate(lower):
            if not is_blank(value):
                while len(headers) <= position:
                    headers.append("")
                headers[position] = str(value).strip()  # the sub-column is more specific than its group
        start += 1
    while headers and not headers[-1]:
        headers.pop()  # columns right of the table's last header hold no field
    return best_score, rows[start - 1][0], headers, rows[start:]


def _data_block(sheet: Sheet, rows, header_keys: list[str], limit: int) -> None:
    previous = sheet.header_row
    ended = False
    for number, values in rows:
        if ended:
            if not _is_footer(values):
                sheet.ignored_after_end += 1
            continue
        gap = number - previous - 1
        previous = number
        sheet.skipped_blank += gap
        total = _is_total(values)
        if total:
            sheet.skipped_total += 1
            if total in END_WORDS:
                ended, sheet.end_row = True, number
            continue
        if _is_footer(values):
            ended, sheet.end_row = True, number
            continue
        if [header_key(v) for v in values[: len(header_keys)]] == header_keys:
            continue  # the header again, printed on every page
        values = values[: len(header_keys)]
        if all(is_blank(v) for v in values):
            continue  # content only right of the table (a note in the margin)
        sheet.rows.append((number, tuple(values)))
        if len(sheet.rows) > limit:
            raise ImportRefused(_("数据超过 %(n)d 行，请拆分文件后分批导入。") % {"n": limit})


def read_sheet(name: str, data: bytes, fields, *, limit: int, what: str) -> Sheet:
    """The best table of the file for these fields; ImportRefused for a refused file.

    `what` names the record kind in the message when no table is found ("志愿者").
    """
    if len(data) > settings.UPLOAD_MAX_BYTES:
        raise ImportRefused(
            _("文件过大：%(size).1f MB，上限 %(limit)d MB。")
            % {"size": len(data) / 1048576, "limit": settings.UPLOAD_MAX_BYTES // 1048576}
        )
    extension = Path(name or "").suffix.lower()
    if extension == ".xlsx":
        sheets = _xlsx_sheets(data, limit)
    elif extension == ".csv":
        sheets = _csv_sheets(data, limit)
    else:
        raise ImportRefused(_("仅支持 Excel（.xlsx）或 CSV（.csv）文件。"))
    chosen = None
    for title, rows in sheets:
        table = _table(rows, fields)
        if table is not None and (chosen is None or table[0] > chosen[1][0]):
            chosen = (title, table)
    if chosen is None:
        raise ImportRefused(
            _("文件中没有找到%(what)s表：没有一行表头含有两个以上可识别的列名（如“姓名”“身份证号”）。") % {"what": what}
        )
    title, (_score_value, header_number, headers, data_rows) = chosen
    sheet = Sheet(
        checksum=hashlib.sha256(data).hexdigest(), header_row=header_number, headers=headers, rows=[], sheet_name=title
    )
    _data_block(sheet, data_rows, [header_key(h) for h in headers], limit)
    return sheet
