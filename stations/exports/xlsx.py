"""Streaming Excel writer: constant memory, a cover sheet, and no cell that Excel would run (OUT-3)."""

import io
from collections.abc import Iterable, Sequence
from datetime import date, datetime

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")


def csv_escape(value):
    """For CSV: a text cell that a spreadsheet would read as a formula gets a leading quote."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES) and not value.startswith("'"):
        return "'" + value
    return value


class XlsxWriter:
    """Write sheets row by row (openpyxl write-only mode keeps memory flat whatever the row count).

    Text is always stored as a string cell, never as a formula, so `=HYPERLINK(...)` stays text.
    With a `reason` (a named list), every sheet starts with exporter, time and reason, so a sheet copied
    out of the workbook still says who took it and why.
    """

    def __init__(self, *, title: str, user, filters: dict | None = None, reason: str = "", notice: str = ""):
        self.workbook = Workbook(write_only=True)
        self.rows_written = 0
        exporter = f"{user.get_username()}（{user.get_role_display()}）"
        exported_at = timezone.localtime().strftime("%Y-%m-%d %H:%M:%S")
        self.stamp = (
            [
                _("导出人：%(who)s") % {"who": exporter},
                _("导出时间：%(when)s") % {"when": exported_at},
                _("导出事由：%(reason)s") % {"reason": reason},
            ]
            if reason
            else []
        )
        cover = self.workbook.create_sheet(_("说明"))
        cover.column_dimensions["A"].width = 16
        cover.column_dimensions["B"].width = 60
        cover.append([self._cell(cover, title, font=Font(bold=True, size=14))])
        cover.append([])
        cover.append(self._row(cover, [_("导出人"), exporter]))
        cover.append(self._row(cover, [_("导出时间"), exported_at]))
        if reason:
            cover.append(self._row(cover, [_("导出事由"), reason]))
        cover.append(self._row(cover, [_("数据范围"), user.scope_label]))
        for key, value in (filters or {}).items():
            cover.append(self._row(cover, [_("筛选：%(key)s") % {"key": key}, value]))
        if notice:
            cover.append([])
            cover.append(self._row(cover, [_("注意"), notice]))

    def _cell(self, sheet, value, *, font=None, fill=None):
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if isinstance(value, date | datetime):
            cell.number_format = "yyyy-mm-dd" if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        return cell

    def _row(self, sheet, values: Sequence):
        return [self._cell(sheet, value) for value in values]

    def sheet(self, name: str, headers: Sequence[str], rows: Iterable[Sequence], widths: Sequence[int] = ()):
        sheet = self.workbook.create_sheet(name[:31])
        for index, width in enumerate(widths or [14] * len(headers)):
            sheet.column_dimensions[_column_letter(index)].width = width
        sheet.freeze_panes = f"A{len(self.stamp) + 2}"
        for line in self.stamp:
            sheet.append([self._cell(sheet, line, font=HEADER_FONT)])
        sheet.append([self._cell(sheet, h, font=HEADER_FONT, fill=HEADER_FILL) for h in headers])
        for row in rows:
            sheet.append(self._row(sheet, row))
            self.rows_written += 1
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


__all__ = ["Alignment", "XlsxWriter", "csv_escape"]
