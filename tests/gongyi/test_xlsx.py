"""The .xlsx reader (gongyi.xlsx): the values openpyxl wrote come back as they were; a file that
unpacks to too much is refused before it is read, and the reading child's limits hold."""

import datetime as dt
import io
import zipfile

import openpyxl
import pytest

from gongyi import xlsx
from gongyi.xlsx import XlsxError, XlsxTooLarge, part_limit
from tests.gongyi.expanding import expanding_xlsx


def open_first_sheet(data: bytes):
    return xlsx.open_first_sheet(data, max_rows=1000)


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
        ["李四", 0, -2.25, dt.datetime(2024, 5, 1, 8, 30), dt.date(2020, 3, 1)],
    ]
    sheet = open_first_sheet(workbook_bytes(rows, write_only=write_only, sheets=2))
    assert [(n, v) for n, v in sheet.rows] == [
        (1, rows[0]),
        (2, ["张三", 3, 17.5, dt.date(2024, 5, 1), True]),  # a date at midnight is a date
        (3, ["370902196204150012", 2100, None, "2024-05-01", False]),
        (4, rows[3]),
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


def test_part_limit_fits_a_real_roster_and_not_a_bomb():
    roster, bomb = part_limit(3_250_000, 50_000), part_limit(246 * 1024, 50_000)
    # A 50,000-row roster is 3.2 MB and its sheet unpacks to 41.5 MB (bench xlsx_read).
    assert roster > 41_500_000
    assert bomb < 95 * 1024 * 1024


def test_expanding_file_is_refused_before_it_is_read():
    data = expanding_xlsx(95 * 1024 * 1024)

    with pytest.raises(XlsxTooLarge):
        open_first_sheet(data)


def test_zip_whose_directory_lies_about_a_size_is_refused():
    data = expanding_xlsx(95 * 1024 * 1024, declared=1000)

    with pytest.raises(XlsxError):
        list(open_first_sheet(data).rows)


def test_reading_child_that_runs_out_of_memory_is_refused(monkeypatch):
    # Guards opened wide: the child's own memory limit ends it.
    monkeypatch.setattr(xlsx, "EXPANSION_RATIO", 10**6)
    monkeypatch.setattr(xlsx, "ROW_BYTES", 10**6)
    monkeypatch.setattr(xlsx, "MAX_PART_BYTES", 10**9)
    monkeypatch.setattr(xlsx, "CHILD_MEMORY", 256 * 1024 * 1024)
    data = expanding_xlsx(300 * 1024 * 1024)

    with pytest.raises(XlsxTooLarge):
        list(open_first_sheet(data).rows)


def test_reader_decodes_escaped_characters_and_keeps_formula_results():
    wb = openpyxl.Workbook()
    ws = wb.active
    ws.append(["甲_x0007_乙", "=1+1", 3, 17.5])
    out = io.BytesIO()
    wb.save(out)

    rows = list(open_first_sheet(out.getvalue()).rows)

    # A formula without a value saved by Excel is read as empty, never as its formula text.
    assert rows == [(1, ["甲\x07乙", None, 3, 17.5])]
