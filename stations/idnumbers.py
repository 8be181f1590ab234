"""Resident ID numbers (GB 11643-1999) and ages by the courts' 周岁 rule (DOMAIN §8). One place for both."""

import hashlib
import hmac
import re
import unicodedata
from datetime import date

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
CHECK_CHARS = "10X98765432"


def normalise(value: str) -> str:
    """NFKC (full-width digits and spaces), no whitespace or invisible format characters (zero-width
    space, BOM) as pasted from documents, upper-case X; 15-digit legacy numbers become 18 digits."""
    value = unicodedata.normalize("NFKC", str(value or ""))
    value = "".join(c for c in value if not c.isspace() and unicodedata.category(c) != "Cf").upper()
    if len(value) == 15 and value.isdigit():
        body = value[:6] + "19" + value[6:]
        value = body + check_char(body)
    return value


def check_char(first17: str) -> str:
    return CHECK_CHARS[sum(int(d) * w for d, w in zip(first17, WEIGHTS, strict=True)) % 11]


def birth_date_of(number: str) -> date:
    return date(int(number[6:10]), int(number[10:12]), int(number[12:14]))


def gender_of(number: str) -> str:
    """'male' for an odd sequence digit, 'female' for even."""
    return "male" if int(number[16]) % 2 else "female"


def validate(value: str, *, birth_date: date | None = None, gender: str | None = None) -> str:
    """Return the normalised number or raise ValidationError with a Chinese message."""
    number = normalise(value)
    if not re.fullmatch(r"\d{17}[\dX]", number):
        raise ValidationError(_("身份证号应为 18 位（最后一位可为 X）。"), code="id_format")
    if check_char(number[:17]) != number[17]:
        raise ValidationError(_("身份证号校验位错误，请核对。"), code="id_checksum")
    try:
        born = birth_date_of(number)
    except ValueError as exc:
        raise ValidationError(_("身份证号中的出生日期不存在。"), code="id_birth") from exc
    if born > date.today():
        raise ValidationError(_("身份证号中的出生日期不合理。"), code="id_birth")
    if birth_date and birth_date != born:
        raise ValidationError(_("身份证号中的出生日期与填写的出生日期不一致。"), code="id_birth_mismatch")
    if gender and gender != gender_of(number):
        raise ValidationError(_("身份证号中的性别位与填写的性别不一致。"), code="id_gender_mismatch")
    return number


class IdNumberField(forms.CharField):
    """An ID number form field: normalised before the length check, so a number pasted with spaces
    fits; the browser's maxlength leaves room for them. The form's clean() still calls `validate`."""

    PASTE_ROOM = 40

    def __init__(self, **kwargs):
        kwargs["max_length"] = 18
        super().__init__(**kwargs)

    def to_python(self, value):
        return normalise(super().to_python(value))

    def widget_attrs(self, widget):
        attrs = super().widget_attrs(widget)
        if "maxlength" in attrs:
            attrs["maxlength"] = str(self.PASTE_ROOM)
        return attrs


def lookup_hash(value: str) -> str:
    """HMAC of the normalised number, for duplicate checks and import matching (DATA-3)."""
    return hmac.new(settings.ID_HASH_KEY.encode(), normalise(value).encode(), hashlib.sha256).hexdigest()


def make(area: str, born: date, sequence: int) -> str:
    """A synthetic, checksum-valid number (test and demo data only). Odd sequence = male."""
    body = f"{area}{born:%Y%m%d}{sequence:03d}"
    return body + check_char(body)


def age_on(born: date, on: date) -> int:
    """Completed years (周岁): the new age starts the day after the anniversary; 29 Feb → 28 Feb."""
    years = on.year - born.year
    try:
        anniversary = born.replace(year=on.year)
    except ValueError:  # 29 February in a common year
        anniversary = date(on.year, 2, 28)
    if on <= anniversary:
        years -= 1
    return max(years, 0)
