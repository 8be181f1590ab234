"""Phone numbers (SECURITY IN-2): one validator on `phonenumbers` (region CN) for every form, service and
import, and one stored format — mobiles as 11 digits (13812345678), landlines as area code, hyphen,
number (0451-82345678): what people here read and type, and what rows stored before already hold."""

import re
import unicodedata

import phonenumbers
from django import forms
from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _

PHONE_MESSAGE = _("电话号码格式不正确：手机为 11 位号码（如 13812345678），座机须带区号（如 0451-82345678）。")
MOBILE_MESSAGE = _("手机号码应为 11 位数字的手机号（如 13812345678），不能填座机。")

_SEPARATORS = re.compile(r"[\s\-–—()（）.]")
_MOBILE = {phonenumbers.PhoneNumberType.MOBILE, phonenumbers.PhoneNumberType.FIXED_LINE_OR_MOBILE}
_LANDLINE = {phonenumbers.PhoneNumberType.FIXED_LINE}


def normalise_phone(value, *, mobile: bool = False) -> str:
    """'138 1234 5678', '+86-13812345678', '(0451)82345678' → the stored form; '' stays ''; else raises.

    Only Chinese mobile and landline numbers count; a landline needs its area code, because without
    it nobody outside the county can call it. `mobile=True` refuses landlines (a volunteer's mobile)."""
    text = unicodedata.normalize("NFKC", str(value or "")).strip()
    if not text:
        return ""
    message = MOBILE_MESSAGE if mobile else PHONE_MESSAGE
    compact = _SEPARATORS.sub("", text)
    if not re.fullmatch(r"\+?\d{7,20}", compact):
        raise ValidationError(message, code="phone")
    try:
        number = phonenumbers.parse(compact, "CN")
    except phonenumbers.NumberParseException as exc:
        raise ValidationError(message, code="phone") from exc
    kind = phonenumbers.number_type(number)
    if number.country_code != 86 or not phonenumbers.is_valid_number(number):
        raise ValidationError(message, code="phone")
    national = str(number.national_number)
    if kind in _MOBILE and len(national) == 11 and national.startswith("1"):
        return national
    if mobile or kind not in _LANDLINE:
        raise ValidationError(message, code="phone")
    area = phonenumbers.length_of_geographical_area_code(number)
    # IN-2's shape as well: area code of 2–3 digits after the 0, then a 7- or 8-digit number
    # (phonenumbers' Chinese fixed-line pattern alone accepts short numbers such as 0451-1234)
    if area not in (2, 3) or not 7 <= len(national) - area <= 8:
        raise ValidationError(message, code="phone")
    return f"0{national[:area]}-{national[area:]}"


def validate_phone(value) -> None:
    """A Django validator (for a model field or a form field's `validators`)."""
    normalise_phone(value)


class PhoneField(forms.CharField):
    """A form field that cleans to the stored form; `mobile=True` accepts mobiles only."""

    def __init__(self, *, mobile: bool = False, **kwargs):
        self.mobile = mobile
        kwargs.setdefault("max_length", 20)
        kwargs.setdefault("required", False)
        super().__init__(**kwargs)
        self.widget.attrs.setdefault("inputmode", "tel")
        self.widget.attrs.setdefault("autocomplete", "tel")

    def to_python(self, value):
        return normalise_phone(super().to_python(value), mobile=self.mobile)
