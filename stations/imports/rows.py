"""Row-by-row imports through the same services as the online entry (activities, trainings, youth).

`RowImporter` converts each row's cells by column kind (text, date, whole number, decimal), then hands
the row to the record kind's `write_row`, which calls the app's own create service. Every row runs in a
savepoint inside one transaction; the preview rolls everything back, the confirm keeps it only when no
row failed (all-or-nothing, SECURITY IN-4). A service's ValidationError becomes row errors with the
column the user mapped for that field.
"""

import re
import unicodedata
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from stations import idnumbers
from stations.masking import mask_id_number
from stations.roles import require

from . import cells
from .mapping import check, from_post, mapping_remember, mapping_remembered, suggest
from .reader import Field, ImportRefused, Sheet, read_sheet

PREVIEW_ROWS = 5
NAME_SEPARATORS = re.compile(r"[、,，;；/\s]+")


@dataclass(frozen=True)
class Column(Field):
    kind: str = "text"  # text, date, int, decimal, names, id, choice, choices
    max_length: int | None = None
    targets: tuple[str, ...] = ()  # the service's field names whose errors belong to this column
    choices: tuple = ()  # (value, label) pairs of a choice column; a cell may hold either
    sensitive: bool = False  # a minor's identity: never echoed in the row report


@dataclass
class RowError:
    row: int
    column: str
    value: str
    message: str
    letter: str = ""


@dataclass
class RowsPlan:
    rows: int = 0
    written: int = 0
    errors: list[RowError] = field(default_factory=list)
    checksum: str = ""
    seen_before: bool = False
    parsed: Sheet | None = None
    mapping: dict[int, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def is_valid(self) -> bool:
        return not self.errors and self.rows > 0


class RowImporter:
    kind = ""  # remembered mappings and the audit entry are keyed by it
    what = ""  # the record kind in messages ("活动")
    capability = ""
    audit_action = ""
    columns: tuple[Column, ...] = ()

    @property
    def by_key(self) -> dict[str, Column]:
        return {c.key: c for c in self.columns}

    def max_rows(self) -> int:
        from django.conf import settings

        return settings.VOLUNTEER_IMPORT_MAX_ROWS

    def prepare(self, *, actor) -> dict:
        """Look-ups shared by all rows (the station's volunteers by name…), made once."""
        return {}

    def warnings(self, context: dict) -> list[str]:
        """What the user should know before confirming, though it blocks nothing."""
        return []

    def check_row(self, *, data: dict, context: dict) -> None:
        """Resolve names to records for one row (ValidationError per field); the row's own report."""

    def group(self, rows: list[tuple[int, dict]]) -> tuple[list[tuple[int, dict]], list[tuple[int, ValidationError]]]:
        """Rows that make one record together (a training and its attendance list); default: one each."""
        return rows, []

    def write_row(self, *, actor, data: dict, context: dict) -> None:
        raise NotImplementedError

    def log(self, *, actor, object_repr: str, changes: dict) -> None:
        """The import's one audit entry (`audit(action="<kind>.import", …)` in the subclass, a literal the
        audit-coverage test can read)."""
        raise NotImplementedError

    # --- steps -------------------------------------------------------------------------------------

    def read(self, name: str, data: bytes) -> Sheet:
        return read_sheet(name, data, self.columns, limit=self.max_rows(), what=self.what)

    def suggested(self, *, user, sheet: Sheet) -> dict[int, str]:
        return suggest(sheet, self.columns, mapping_remembered(user=user, kind=self.kind))

    def from_post(self, data, sheet: Sheet) -> dict[int, str]:
        return from_post(data, sheet, self.columns)

    def problems(self, *, user, mapping: dict[int, str]) -> list[str]:
        return check(mapping, self.columns)

    def convert(self, number: int, values, sheet: Sheet, mapping: dict[int, str]):
        """(row data, row errors) of one sheet row read through the mapping."""
        data, errors = {}, []
        position_of = {key: position for position, key in mapping.items()}
        for column in self.columns:
            position = position_of.get(column.key)
            raw = values[position] if position is not None and position < len(values) else None
            header = (sheet.headers[position] if position is not None else "") or column.label
            letter = sheet.letter(position) if position is not None else ""

            def error(message, value="", header=header, letter=letter):
                errors.append(RowError(number, header, str(value)[:100], message, letter))

            if cells.is_blank(raw):
                if column.required:
                    error(_("必填项未填写"))
                data[column.key] = None
                continue
            try:
                data[column.key] = self.parse(column, raw)
            except ValueError as exc:
                error(
                    str(exc) if exc.args and isinstance(exc.args[0], str) and exc.args[0] else _("内容无法识别"),
                    ""
                    if column.sensitive or (column.kind == "id" and cells.stored_as_number(raw))
                    else cells.text(raw),
                )
                data[column.key] = None
        return data, errors

    def parse(self, column: Column, raw):
        if column.kind == "date":
            try:
                value = cells.parse_date(raw)
            except (ValueError, TypeError, OverflowError):
                raise ValueError(
                    _("日期格式不正确（如 2024-01-16、2024/1/16、2024.1.16、2024年1月16日、20240116）")
                ) from None
            if value > timezone.localdate():
                raise ValueError(_("日期不能晚于今天"))
            return value
        if column.kind in ("int", "decimal"):
            text = cells.digits(raw).removesuffix("人").removesuffix("人次").removesuffix("元").replace(",", "")
            try:
                number = Decimal(text)
            except InvalidOperation:
                raise ValueError(_("应为数字")) from None
            if number < 0 or not number.is_finite():
                raise ValueError(_("不能为负数"))
            if column.kind == "int":
                if number != number.to_integral_value():
                    raise ValueError(_("应为整数"))
                return int(number)
            return number
        if column.kind == "id":
            return self.parse_id(raw)
        text = cells.text(raw)
        if column.kind in ("choice", "choices"):
            lookup = {str(v): v for v, _label in column.choices} | {str(label): v for v, label in column.choices}
            parts = [text] if column.kind == "choice" else [p for p in NAME_SEPARATORS.split(text) if p]
            values = [lookup.get(unicodedata.normalize("NFKC", part)) or lookup.get(part) for part in parts]
            if None in values or not values:
                labels = "、".join(str(label) for _v, label in column.choices)
                raise ValueError(_("不是可选的值，应为：%(labels)s") % {"labels": labels})
            return values[0] if column.kind == "choice" else sorted(set(values))
        if column.kind == "names":
            return [part for part in NAME_SEPARATORS.split(text) if part]
        if column.max_length and len(text) > column.max_length:
            raise ValueError(_("内容过长（最多 %(n)d 个字符）") % {"n": column.max_length})
        return text

    @staticmethod
    def parse_id(raw) -> str:
        """A resident ID number, normalised and checked; a number cell is refused, its digits never guessed."""
        if cells.stored_as_number(raw):
            # Excel keeps 15 significant digits: the cell's digits are not the number that was typed.
            raise ValueError(cells.numeric_id_message())
        number = idnumbers.normalise(cells.text(raw))
        try:
            return idnumbers.validate(number)
        except ValidationError as exc:
            message = " ".join(exc.messages)
            if cells.looks_zero_filled(number):
                message += _(
                    "末尾是 000：可能是 Excel 把身份证号存成数字后丢失了末尾几位，系统不会猜测；"
                    "请把该列设为文本格式后重新填写。"
                )
            raise ValueError(message) from None

    def preview(self, *, sheet: Sheet, mapping: dict[int, str], count: int = PREVIEW_ROWS) -> list[dict]:
        """The first rows as they will be read: per column the converted value or the problem."""
        result = []
        for number, values in sheet.rows[:count]:
            data, errors = self.convert(number, values, sheet, mapping)
            problems = {e.letter: e.message for e in errors}
            row = []
            for position in range(len(sheet.headers)):
                key = mapping.get(position)
                if key is None:
                    shown = cells.text(values[position]) if position < len(values) else ""
                    if cells.stored_as_number(values[position] if position < len(values) else None) and len(shown) > 12:
                        shown = ""  # a long number in an unmapped column could be a damaged ID: not shown
                    row.append({"value": shown, "skip": True})
                    continue
                value = data.get(key)
                if value and self.by_key[key].kind == "id":
                    value = mask_id_number(value)  # the preview checks columns; it does not show identities
                shown = "、".join(value) if isinstance(value, list) else ("" if value is None else str(value))
                row.append({"value": shown, "problem": problems.get(sheet.letter(position), "")})
            result.append({"number": number, "cells": row})
        return result

    def _service_errors(self, number, exc: ValidationError, sheet: Sheet, mapping: dict[int, str]):
        position_of = {key: position for position, key in mapping.items()}
        found = []
        items = exc.error_dict.items() if hasattr(exc, "error_dict") else [(NON_FIELD_ERRORS, exc.error_list)]
        for name, error_list in items:
            column = next((c for c in self.columns if name == c.key or name in c.targets), None)
            position = position_of.get(column.key) if column else None
            header = (sheet.headers[position] if position is not None else "") or (
                column.label if column else _("整行")
            )
            letter = sheet.letter(position) if position is not None else ""
            for message in ValidationError(error_list).messages:
                found.append(RowError(number, header, "", message, letter))
        return found

    def run(self, *, actor, name: str, sheet: Sheet, mapping: dict[int, str] | None, commit: bool) -> RowsPlan:
        """Check every row through the services; write all rows (commit) or nothing."""
        from stations.models import AuditEntry

        require(actor, self.capability)
        if mapping is None:
            mapping = self.suggested(user=actor, sheet=sheet)
        problems = self.problems(user=actor, mapping=mapping)
        if problems:
            raise ImportRefused(" ".join(problems))
        if not sheet.rows:
            raise ImportRefused(_("文件中没有数据行。"))
        plan = RowsPlan(rows=len(sheet.rows), checksum=sheet.checksum, parsed=sheet, mapping=mapping)
        plan.seen_before = AuditEntry.objects.filter(action=self.audit_action, changes__sha256=sheet.checksum).exists()
        with transaction.atomic():
            context = self.prepare(actor=actor)
            converted = []
            for number, values in sheet.rows:
                data, errors = self.convert(number, values, sheet, mapping)
                if not errors:
                    try:
                        self.check_row(data=data, context=context)
                    except ValidationError as exc:
                        errors = self._service_errors(number, exc, sheet, mapping)
                plan.errors.extend(errors)
                if not errors:
                    converted.append((number, data))
            units, conflicts = self.group(converted)
            for number, exc in conflicts:
                plan.errors.extend(self._service_errors(number, exc, sheet, mapping))
            for number, data in units:
                try:
                    with transaction.atomic():
                        self.write_row(actor=actor, data=data, context=context)
                except ValidationError as exc:
                    plan.errors.extend(self._service_errors(number, exc, sheet, mapping))
                else:
                    plan.written += 1
            plan.warnings = self.warnings(context)
            if plan.errors or not commit:
                transaction.set_rollback(True)
            else:
                mapping_remember(actor=actor, kind=self.kind, sheet=sheet, mapping=mapping)
                self.log(
                    actor=actor,
                    object_repr=f"{self.what}导入：{name}"[:200],
                    changes={
                        "file": name[:100],
                        "sha256": sheet.checksum,
                        "rows": plan.rows,
                        "created": plan.written,
                        "sheet": sheet.sheet_name[:50],
                        "header_row": sheet.header_row,
                        "skipped_blank": sheet.skipped_blank,
                        "skipped_total": sheet.skipped_total,
                        "columns": {sheet.headers[p][:40]: key for p, key in sorted(mapping.items())},
                    },
                )
        if plan.errors:
            plan.written = 0
            plan.errors.sort(key=lambda e: e.row)
        return plan
