"""Streaming Excel writer: constant memory, a cover sheet, and no cell that Excel would run (OUT-3)."""

import io
import math
import unicodedata
from collections.abc import Iterable, Sequence
from datetime import date, datetime
from decimal import Decimal

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter

FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r", "＝", "＋", "－", "＠")
HEADER_FONT = Font(bold=True)
HEADER_FILL = PatternFill("solid", fgColor="DDE6F0")
HEADER_ALIGNMENT = Alignment(wrap_text=True, vertical="center")
WRAP = Alignment(wrap_text=True, vertical="top")
# Money is a number with a format, never text; cents are shown only when there are any (as the `yuan` filter).
MONEY_FORMAT = '#,##0" 元"'
MONEY_CENTS_FORMAT = '#,##0.00" 元"'
MIN_WIDTH, MAX_WIDTH = 8, 40


def text_width(text) -> int:
    """Width of a text in Excel column units: a CJK or full-width character takes two."""
    return sum(2 if unicodedata.east_asian_width(char) in "WF" else 1 for char in str(text))


def header_width(header) -> int:
    """A column as wide as its header (plus a margin for the bold face), within 8–40."""
    return max(MIN_WIDTH, min(MAX_WIDTH, text_width(header) + 2))


def money_cell_value(value):
    """Whole yuan as int, anything else as a two-decimal Decimal (a number either way)."""
    amount = Decimal(str(value or 0))
    return int(amount) if amount == amount.to_integral_value() else amount.quantize(Decimal("0.01"))


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

    Every sheet prints the same way, set here once: landscape, all columns on the page width, the stamp
    and header rows repeated on each page, panes frozen below the header and right of the key columns.
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
        # The cover is one portrait page, however long the title, filters or notice.
        cover.page_setup.orientation = "portrait"
        cover.page_setup.fitToWidth = 1
        cover.page_setup.fitToHeight = 1
        cover.sheet_properties.pageSetUpPr.fitToPage = True
        cover.column_dimensions["A"].width = 16
        cover.column_dimensions["B"].width = 60
        cover.append([self._cell(cover, title, font=Font(bold=True, size=14))])
        cover.append([])
        cover.append(self._row(cover, [_("导出人"), exporter]))
        cover.append(self._row(cover, [_("导出时间"), exported_at]))
        if reason:
            cover.append(self._row(cover, [_("导出事由"), reason], wrap=True))
        cover.append(self._row(cover, [_("数据范围"), user.scope_label]))
        for key, value in (filters or {}).items():
            cover.append(self._row(cover, [_("筛选：%(key)s") % {"key": key}, value], wrap=True))
        if notice:
            cover.append([])
            cover.append(self._row(cover, [_("注意"), notice], wrap=True))

    def _cell(self, sheet, value, *, font=None, fill=None, alignment=None, money=False):
        if isinstance(value, datetime):
            value = timezone.localtime(value).replace(tzinfo=None) if timezone.is_aware(value) else value
        if money and isinstance(value, int | float | Decimal) and not isinstance(value, bool):
            value = money_cell_value(value)
        cell = WriteOnlyCell(sheet, value=value)
        if isinstance(value, str):
            cell.data_type = "s"  # never a formula, whatever the text starts with
        if isinstance(value, date | datetime):
            cell.number_format = "yyyy-mm-dd" if not isinstance(value, datetime) else "yyyy-mm-dd hh:mm"
        if money and isinstance(value, int | Decimal):
            cell.number_format = MONEY_FORMAT if isinstance(value, int) else MONEY_CENTS_FORMAT
        if font:
            cell.font = font
        if fill:
            cell.fill = fill
        if alignment:
            cell.alignment = alignment
        return cell

    def _row(self, sheet, values: Sequence, *, wrap=False, money: frozenset = frozenset()):
        return [
            self._cell(sheet, value, alignment=WRAP if wrap else None, money=index in money)
            for index, value in enumerate(values)
        ]

    def sheet(
        self,
        name: str,
        headers: Sequence[str],
        rows: Iterable[Sequence],
        widths: Sequence[int] = (),
        *,
        key_columns: int = 0,
        money_columns: Sequence[int] = (),
    ):
        """One sheet: stamp, header, rows. `widths` are minimums (a column is never narrower than its
        header); `key_columns` leading columns (unit, name) stay in view when scrolling right;
        `money_columns` (indices) hold amounts in 元, written as numbers with a money format."""
        sheet = self.workbook.create_sheet(name[:31])
        header_row = len(self.stamp) + 1
        column_widths = []
        for index, header in enumerate(headers):
            given = widths[index] if index < len(widths) else 0
            column_widths.append(max(given, header_width(header)))
            sheet.column_dimensions[get_column_letter(index + 1)].width = column_widths[-1]
        # Set before the first row: write-only sheets write their views and properties at the top.
        print_setup(sheet, column_widths, header_row=header_row, key_columns=key_columns)
        for line in self.stamp:
            sheet.append([self._cell(sheet, line, font=HEADER_FONT)])
        sheet.append(
            [self._cell(sheet, h, font=HEADER_FONT, fill=HEADER_FILL, alignment=HEADER_ALIGNMENT) for h in headers]
        )
        money = frozenset(money_columns)
        for row in rows:
            sheet.append(self._row(sheet, row, money=money))
            self.rows_written += 1
        return sheet

    def to_bytes(self) -> bytes:
        buffer = io.BytesIO()
        self.workbook.save(buffer)
        return buffer.getvalue()


# Column-width units a landscape A4 page shows at the smallest scale still read comfortably (about 60 %).
READABLE_PAGE_WIDTH = 220


def print_setup(sheet, widths: Sequence[float], *, header_row: int, key_columns: int = 0) -> None:
    """Every sheet the product writes prints the same way: landscape A4, as many pages across as keep it
    readable (`pages_wide`), header rows and key columns repeated, panes frozen on both."""
    sheet.freeze_panes = f"{get_column_letter(key_columns + 1)}{header_row + 1}"
    sheet.sheet_properties.pageSetUpPr.fitToPage = True
    sheet.page_setup.orientation = "landscape"
    sheet.page_setup.paperSize = 9  # A4
    sheet.page_setup.fitToWidth = pages_wide(widths, key_columns)
    sheet.page_setup.fitToHeight = 0  # as many pages down as the rows need
    sheet.print_title_rows = f"1:{header_row}"
    if sheet.page_setup.fitToWidth > 1 and key_columns:  # every page across names its rows
        sheet.print_title_cols = f"A:{get_column_letter(key_columns)}"


def pages_wide(widths: Sequence[float], key_columns: int = 0) -> int:
    """Pages across that fit a sheet's columns at a readable scale: one for a sheet that fits, more for a
    wide one (the 74 columns of the yearly summary), each page repeating the `key_columns`."""
    keys = sum(widths[:key_columns])
    rest = sum(widths) - keys
    per_page = max(READABLE_PAGE_WIDTH - keys, READABLE_PAGE_WIDTH / 2)
    return max(1, math.ceil(rest / per_page))


__all__ = [
    "MONEY_FORMAT",
    "Alignment",
    "XlsxWriter",
    "csv_escape",
    "header_width",
    "pages_wide",
    "print_setup",
    "text_width",
]
