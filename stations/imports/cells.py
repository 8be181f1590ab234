"""Cell values as offices type them: dates in every style seen in real rosters, text with full-width
digits, and ID numbers that Excel turned into numbers (reported, never guessed: docs/decisions.md)."""

import re
import unicodedata
from datetime import date, datetime
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl.utils.datetime import from_excel

from stations.forms import clean_text

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")

DATE_PATTERNS = (
    re.compile(r"^(\d{4})[-/.](\d{1,2})[-/.](\d{1,2})[.日]?(?:[T]?\d{1,2}:\d{2}(?::\d{2})?)?$"),
    re.compile(r"^(\d{4})年(\d{1,2})月(\d{1,2})[日号]?$"),
    re.compile(r"^(\d{4})(\d{2})(\d{2})$"),
)
SCIENTIFIC = re.compile(r"\d+(\.\d+)?[eE][+]?\d+")


def is_blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def parse_date(value) -> date:
    """2023-05-01, 2023/5/1, 2023.5.1, 2023年5月1日, 20230501 (text or number), an Excel date cell or an
    Excel serial number (text or number); full-width digits and spaces inside are fine."""
    if isinstance(value, datetime):
        return value.date()
    if isinstance(value, date):
        return value
    if isinstance(value, bool):
        raise ValueError("bool")
    if isinstance(value, int | float | Decimal):
        if float(value).is_integer() and 19000101 <= value <= 29991231:
            return _ymd(str(int(value)))  # 20230501 typed into a number cell
        return _serial(float(value))
    text = unicodedata.normalize("NFKC", str(value))
    text = "".join(c for c in text if not c.isspace())
    for pattern in DATE_PATTERNS:
        if match := pattern.match(text):
            year, month, day = map(int, match.groups())
            return date(year, month, day)
    if re.fullmatch(r"\d{1,5}(\.\d+)?", text):
        return _serial(float(text))
    raise ValueError(text)


def _ymd(text: str) -> date:
    return date(int(text[:4]), int(text[4:6]), int(text[6:8]))


def _serial(value: float) -> date:
    if not 1 <= value < 2958466:
        raise ValueError(value)
    result = from_excel(value)
    return result.date() if isinstance(result, datetime) else result


def text(value) -> str:
    """A cell as clean text; whole numbers without '.0'; one CSV escape quote before a formula prefix removed."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime | date):
        value = value.strftime("%Y-%m-%d")
    result = clean_text(str(value))
    if result.startswith("'") and result[1:].startswith(FORMULA_PREFIXES):
        result = result[1:]
    return result


def digits(value) -> str:
    """Text of a code-like cell (phone, number): full-width digits and letters made half-width, no spaces."""
    result = unicodedata.normalize("NFKC", text(value))
    return "".join(c for c in result if not c.isspace() and unicodedata.category(c) != "Cf")


def stored_as_number(value) -> bool:
    """A number cell (openpyxl gives int or float), or text Excel wrote in scientific notation (1.10105E+17)."""
    if isinstance(value, bool):
        return False
    if isinstance(value, int | float | Decimal):
        return True
    return isinstance(value, str) and bool(SCIENTIFIC.fullmatch(unicodedata.normalize("NFKC", value).strip()))


def numeric_id_message() -> str:
    """What happened to an ID typed into a number cell, and how to fix the column."""
    return _(
        "身份证号单元格被 Excel 存成了数字，只保留 15 位有效数字，末尾几位已无法还原（系统不会猜测）；"
        "请将该列设置为文本格式后重新填写身份证号"
    )


def looks_zero_filled(number: str) -> bool:
    """18 digits ending in zeros: what is left of an ID after Excel kept 15 significant digits."""
    return len(number) == 18 and number.isdigit() and number.endswith("000")
