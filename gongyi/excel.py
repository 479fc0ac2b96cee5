"""Writing Excel files for download: one helper, streaming rows, Chinese headers, sane widths.

Every workbook the site hands out is written here, and every cell goes through ``_cell``: text that Excel would take for a formula (=, +, -, @, a tab or a carriage return
at its start) is written as a text cell marked as quoted, as Excel itself stores text typed after
an apostrophe, so that a post titled ``=HYPERLINK(…)`` is shown, never run; characters XML cannot
hold (control characters) are dropped, so that no stored value can make an export fail.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from decimal import Decimal
from urllib.parse import quote

from django.http import HttpResponse

XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
#: What a spreadsheet may read as the start of a formula (OWASP, "CSV injection").
FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")
#: Characters an XML 1.0 document cannot hold: the C0 controls but tab, newline and carriage
#: return; lone surrogates; U+FFFE and U+FFFF.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
#: Characters a sheet's name cannot hold.
_NOT_IN_TITLE = re.compile(r"[\\/*?:\[\]]")


@dataclass
class Sheet:
    title: str
    headers: Sequence[str]
    rows: Iterable[Sequence]
    widths: Sequence[int] | None = None
    #: A number format per column (None: as written), e.g. "0.00" for yuan.
    formats: Sequence[str | None] | None = None


def xlsx_bytes(sheets: list[Sheet]) -> bytes:
    """A workbook of ``sheets``, written row by row (write-only mode keeps memory flat)."""
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.styles import Font, PatternFill

    workbook = Workbook(write_only=True)
    bold, fill = Font(bold=True), PatternFill("solid", fgColor="EEF0F3")
    for sheet in sheets:
        ws = workbook.create_sheet(title=sheet_title(sheet.title))
        for i, width in enumerate(
            sheet.widths or [max(10, len(str(h)) * 2 + 2) for h in sheet.headers]
        ):
            ws.column_dimensions[_column_letter(i)].width = width
        ws.freeze_panes = "A2"
        header = []
        for text in sheet.headers:
            cell = _cell(ws, str(text), styled=True)
            cell.font, cell.fill = bold, fill
            header.append(cell)
        ws.append(header)
        formats = list(sheet.formats or [])
        for row in sheet.rows:
            cells = [_cell(ws, v) for v in row]
            for i, number_format in enumerate(formats[: len(cells)]):
                if number_format and isinstance(cells[i], int | float | Decimal):
                    cells[i] = WriteOnlyCell(ws, value=cells[i])
                    cells[i].number_format = number_format
            ws.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


def _column_letter(index: int) -> str:
    from openpyxl.utils import get_column_letter

    return get_column_letter(index + 1)


def sheet_title(title) -> str:
    """A sheet name Excel accepts: without the characters it refuses, at most 31 long."""
    return _NOT_IN_TITLE.sub("", safe_text(str(title)))[:31].strip() or "Sheet"


def safe_text(text: str) -> str:
    """``text`` without the characters an xlsx cannot hold (they are dropped)."""
    return _NOT_XML.sub("", text)


def _cell(ws, value, *, styled: bool = False):
    """A cell of ``value`` (a cell object if ``styled``): text stays text, whatever it starts
    with."""
    from openpyxl.cell import WriteOnlyCell

    value = _cell_value(value)
    if not isinstance(value, str) or not value.startswith(FORMULA_STARTS):
        # openpyxl writes it as it is: a number, a date, plain text
        return WriteOnlyCell(ws, value=value) if styled else value
    cell = WriteOnlyCell(ws, value=value)
    cell.data_type = "s"  # openpyxl would store text starting with "=" as a formula
    cell.quotePrefix = True  # and Excel keeps it text when the cell is edited
    return cell


def _cell_value(value):
    # Codes and ID numbers stay text: Excel would turn 370902001001 into 3.70902E+11.
    if value is None:
        return ""
    if isinstance(value, bool):
        return "是" if value else "否"
    if isinstance(value, str):
        return safe_text(value)
    return value


def xlsx_response(filename: str, sheets: list[Sheet]) -> HttpResponse:
    response = HttpResponse(xlsx_bytes(sheets), content_type=XLSX_TYPE)
    response["Content-Disposition"] = f"attachment; filename*=UTF-8''{quote(filename)}"
    return response
