"""Masking of personal data shown above the station (DATA-1) and in logs (PRIV-1)."""

import logging
import re

COMPOUND_SURNAMES = (
    "欧阳",
    "司马",
    "上官",
    "诸葛",
    "东方",
    "皇甫",
    "令狐",
    "慕容",
    "尉迟",
    "长孙",
    "宇文",
    "司徒",
    "夏侯",
    "公孙",
)


def mask_name(name: str) -> str:
    """张三 → 张某, 欧阳娜娜 → 欧阳某, unknown → 某某."""
    name = (name or "").strip()
    if not name:
        return "某某"
    for surname in COMPOUND_SURNAMES:
        if name.startswith(surname) and len(name) > len(surname):
            return f"{surname}某"
    return f"{name[0]}某"


def mask_id_number(value: str) -> str:
    """11010519491231002X → 110105********002X (area code and last four kept)."""
    value = (value or "").strip()
    if len(value) < 10:
        return "*" * len(value)
    return value[:6] + "*" * (len(value) - 10) + value[-4:]


def mask_phone(value: str) -> str:
    """13812345678 → 138****5678; landlines keep the area code and last four digits."""
    value = (value or "").strip()
    digits = re.sub(r"\D", "", value)
    if len(digits) == 11 and digits.startswith("1"):
        return f"{digits[:3]}****{digits[-4:]}"
    if len(digits) >= 8:
        return digits[:-8] + "****" + digits[-4:]
    return "*" * len(digits)


# The first county-level unit (区/县/旗) of an address; a 区 of 社区/小区/园区/辖区… is not one.
DISTRICT_PATTERN = re.compile(r"^.*?(?<![社小园辖片校街城景])[区县旗]")


def mask_area(value: str) -> str:
    """南岗区鑫苑社区7号楼 → 南岗区 (address down to the district); nothing recognisable → ***."""
    match = DISTRICT_PATTERN.match((value or "").strip())
    return match.group(0) if match and len(match.group(0)) <= 20 else "***"


ID_PATTERN = re.compile(r"(?<!\d)(\d{6})(\d{8})(\d{3}[\dXx])(?!\d)")
MOBILE_PATTERN = re.compile(r"(?<!\d)(1[3-9]\d)(\d{4})(\d{4})(?!\d)")


def mask_text(text: str) -> str:
    """Mask every ID number and mobile number found in free text."""
    text = ID_PATTERN.sub(lambda m: m.group(1) + "********" + m.group(3)[-4:], text)
    return MOBILE_PATTERN.sub(lambda m: f"{m.group(1)}****{m.group(3)}", text)


class PiiLogFilter(logging.Filter):
    """Logging filter: no ID number or mobile number reaches a log line (PRIV-1)."""

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:
            return True
        masked = mask_text(message)
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = mask_text(record.exc_text)
        if masked != message:
            record.msg, record.args = masked, ()
        return True
