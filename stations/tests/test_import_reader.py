"""The shared spreadsheet reader (issue 16): which sheet and which row hold the table, what is skipped."""

import io

import pytest
from openpyxl import Workbook

from stations.imports.reader import Field, ImportRefused, header_key, read_sheet

FIELDS = [
    Field("name", "姓名", ("名字",), True),
    Field("id_number", "身份证号", ("公民身份号码",), True),
    Field("joined_on", "入列日期", ("加入日期",)),
]


def book(*sheets, hidden=()) -> bytes:
    workbook = Workbook()
    workbook.remove(workbook.active)
    for title, rows in sheets:
        sheet = workbook.create_sheet(title)
        for values in rows:
            sheet.append(list(values))
        if title in hidden:
            sheet.sheet_state = "hidden"
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def read(data, name="a.xlsx"):
    return read_sheet(name, data, FIELDS, limit=100, what="志愿者")


def test_headers_compare_without_spaces_marks_and_remarks():
    assert header_key(" 身份证号（18位）* ") == "身份证号"
    assert header_key("姓 名：") == "姓名"
    assert header_key("入列日期(必填)") == "入列日期"


def test_the_sheet_with_the_best_header_is_read_and_hidden_sheets_are_not():
    guide = ("说明", [["填写说明"], ["姓名（必填）：写全名"]])
    hidden = ("隐藏", [["姓名", "身份证号", "入列日期"], ["甲", "1", "2"]])
    roster = ("名册", [["标题"], ["名字", "公民身份号码"], ["张三", "x"]])
    sheet = read(book(guide, hidden, roster, hidden=("隐藏",)))
    assert (sheet.sheet_name, sheet.header_row, sheet.headers) == ("名册", 2, ["名字", "公民身份号码"])
    assert sheet.rows == [(3, ("张三", "x"))]


def test_a_csv_with_title_lines_and_a_total_row_is_read_too():
    text = "花名册\n,\n序号,名字,公民身份号码\n1,张三,x\n,,\n2,李四,y\n合计,2人,\n"
    sheet = read(text.encode("gb18030"), name="a.csv")
    assert sheet.header_row == 3 and [n for n, _v in sheet.rows] == [4, 6]
    assert (sheet.skipped_blank, sheet.skipped_total) == (1, 1)


def test_one_known_column_is_not_a_header():
    with pytest.raises(ImportRefused, match="没有找到志愿者表"):
        read(book(("表", [["姓名", "备注"], ["张三", "x"]])))


def test_the_row_limit_counts_data_rows_only():
    rows = [["标题"], ["姓名", "身份证号"], *[[f"人{n}", "x"] for n in range(100)], ["合计", "100"]]
    assert len(read(book(("表", rows))).rows) == 100
    with pytest.raises(ImportRefused, match="超过 100 行"):
        read(book(("表", [*rows[:-1], ["多一人", "x"]])))


def test_total_lines_are_told_from_titles_that_start_with_the_word():
    rows = [
        ["名字", "公民身份号码"],
        ["合计表彰会", "x"],
        ["合 计：2人", None],
        ["小计(3项)", None],
    ]
    sheet = read(book(("表", rows)))
    assert [values[0] for _n, values in sheet.rows] == ["合计表彰会"]
    assert (sheet.skipped_total, sheet.end_row) == (1, 3)
    assert sheet.ignored_after_end == 1  # the subtotal below the grand total is a row not read
