"""The fast .xlsx reader (gongyi.xlsx): the values openpyxl wrote come back as they were."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from gongyi.xlsx import XlsxError, open_first_sheet


def workbook_bytes(rows, *, write_only=False, sheets=1) -> bytes:
    wb = openpyxl.Workbook(write_only=write_only)
    ws = wb.create_sheet("数据") if write_only else wb.active
    for row in rows:
        ws.append(row)
    for i in range(sheets - 1):
        (wb.create_sheet(f"其他{i}")).append(["不读"])
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


@pytest.mark.parametrize("write_only", [False, True])
def test_reader_returns_the_values_written(write_only):
    rows = [
        ["姓名", "数量", "金额", "日期", "是否"],
        ["张三", 3, 17.5, dt.datetime(2024, 5, 1), True],
        ["370902196204150012", 2100, None, "2024-05-01", False],
    ]
    sheet = open_first_sheet(workbook_bytes(rows, write_only=write_only, sheets=2))
    assert [(n, v) for n, v in sheet.rows] == [
        (1, rows[0]),
        (2, rows[1]),
        (3, ["370902196204150012", 2100, None, "2024-05-01", False]),
    ]


def test_reader_keeps_row_numbers_across_empty_rows_and_sparse_cells():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws["A1"], ws["C1"] = "甲", "丙"
    ws["B4"] = 7
    out = io.BytesIO()
    wb.save(out)
    sheet = open_first_sheet(out.getvalue())
    assert (sheet.declared_rows, list(sheet.rows)) == (4, [(1, ["甲", None, "丙"]), (4, [None, 7])])


@pytest.mark.parametrize(
    "data",
    [b"PK\x03\x04 not a zip at all", b"", zipfile.ZipFile.__doc__.encode()],
    ids=["bad-zip", "empty", "text"],
)
def test_reader_refuses_what_is_not_a_workbook(data):
    with pytest.raises(XlsxError):
        list(open_first_sheet(data).rows)


def test_reader_refuses_a_broken_sheet_below_the_header():
    data = workbook_bytes([["a"], ["b"]])
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as target:
        for item in source.infolist():
            content = source.read(item.filename)
            if item.filename == "xl/worksheets/sheet1.xml":
                content = content[: len(content) - 40]  # cut inside the XML
            target.writestr(item, content)
    sheet = open_first_sheet(out.getvalue())
    with pytest.raises(XlsxError):
        list(sheet.rows)


def test_reader_reports_the_merged_ranges_once_the_rows_are_read():
    wb = openpyxl.Workbook()
    ws = wb.active
    for row in (["表头", "b"], ["甲", 1], [None, 2], [None, 3]):
        ws.append(row)
    ws.merge_cells("A2:A4")
    ws.merge_cells("B1:B1")  # a one-cell "range" is no merge
    out = io.BytesIO()
    wb.save(out)
    sheet = open_first_sheet(out.getvalue())
    assert sheet.merged == []  # <mergeCells> follows <sheetData>
    rows = list(sheet.rows)
    assert (rows[1], sheet.merged) == ((2, ["甲", 1]), ["A2:A4"])
