"""The hand-written .xlsx reader the imports used before python-calamine, kept only for bench
``xlsx_read`` to measure the library against: the sheet's XML streamed with ElementTree.

openpyxl's read-only mode builds a cell object per value; for an import of 10,000 rows of 16
columns that is most of the import's time. This reader yields plain values (str, int, float,
bool, datetime for numbers formatted as dates, or None) row by row, with each row's own number;
once the rows are read, ``Sheet.merged`` holds the sheet's merged ranges (``<mergeCells>`` comes
after ``<sheetData>``, so they are known only at the end).
Python's expat refuses entity-expansion bombs and ElementTree resolves no external entities; the
parts' uncompressed sizes are capped against zip bombs.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from xml.etree.ElementTree import ParseError, fromstring, iterparse

from gongyi.xlsx import _column_index, range_bounds

MAIN = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
REL = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}"
PKG_REL = "{http://schemas.openxmlformats.org/package/2006/relationships}"
#: A 20 MB upload may not unpack to more than this (zip bombs), nor reach past Excel's last column.
MAX_PART_BYTES = 100 * 1024 * 1024
MAX_COLUMNS = 16384
#: Built-in number formats that are dates or times (ECMA-376 18.8.30).
BUILTIN_DATE_FORMATS = {14, 15, 16, 17, 18, 19, 20, 21, 22, 45, 46, 47}
_CELL_REF = re.compile(r"([A-Z]+)(\d+)")
_DIGITS = "0123456789"


class XlsxError(Exception):
    """The file is not a readable workbook."""


@dataclass
class Sheet:
    declared_rows: int  # from the sheet's <dimension>, 0 when the writer left it out
    rows: Iterator[tuple[int, list]]  # (row number, values), empty rows skipped
    #: The merged ranges ("B3:B5"), filled in when ``rows`` has been read to its end.
    merged: list[str] = field(default_factory=list)


def _read(zf: zipfile.ZipFile, name: str) -> bytes:
    info = zf.getinfo(name)
    if info.file_size > MAX_PART_BYTES:
        raise XlsxError(name)
    return zf.read(name)


def _first_sheet_path(zf: zipfile.ZipFile) -> str:
    workbook = fromstring(_read(zf, "xl/workbook.xml"))
    sheet = workbook.find(f"{MAIN}sheets/{MAIN}sheet")
    if sheet is None:
        raise XlsxError("no sheet")
    rid = sheet.get(f"{REL}id")
    rels = fromstring(_read(zf, "xl/_rels/workbook.xml.rels"))
    for rel in rels.iter(f"{PKG_REL}Relationship"):
        if rel.get("Id") == rid:
            target = rel.get("Target", "")
            return target.lstrip("/") if target.startswith("/") else f"xl/{target}"
    raise XlsxError("no sheet part")


def _shared_strings(zf: zipfile.ZipFile) -> list[str]:
    if "xl/sharedStrings.xml" not in zf.namelist():
        return []
    root = fromstring(_read(zf, "xl/sharedStrings.xml"))
    strings = []
    for si in root.iter(f"{MAIN}si"):
        # The text runs (<t>, or <r><t>), not the phonetic guide (<rPh>).
        parts = [t.text or "" for t in si.findall(f"{MAIN}t")]
        parts += [t.text or "" for r in si.findall(f"{MAIN}r") for t in r.findall(f"{MAIN}t")]
        strings.append("".join(parts))
    return strings


def _date_styles(zf: zipfile.ZipFile) -> set[int]:
    """Indexes of the cell formats (``s`` attribute) that show numbers as dates."""
    if "xl/styles.xml" not in zf.namelist():
        return set()
    from openpyxl.styles.numbers import is_date_format

    root = fromstring(_read(zf, "xl/styles.xml"))
    custom = {
        int(f.get("numFmtId")): f.get("formatCode", "")
        for f in root.iter(f"{MAIN}numFmt")
        if f.get("numFmtId", "").isdigit()
    }
    dates = set()
    xfs = root.find(f"{MAIN}cellXfs")
    for index, xf in enumerate(xfs if xfs is not None else []):
        fmt = int(xf.get("numFmtId", "0") or 0)
        if fmt in BUILTIN_DATE_FORMATS or (fmt in custom and is_date_format(custom[fmt])):
            dates.add(index)
    return dates


def _number(text: str) -> int | float:
    if "." not in text and "E" not in text and "e" not in text:
        return int(text)
    value = float(text)
    return int(value) if value.is_integer() and abs(value) < 2**53 and "E" not in text else value


def open_first_sheet(data: bytes) -> Sheet:
    """The first sheet of the workbook in ``data``; XlsxError if it cannot be read."""
    try:
        zf = zipfile.ZipFile(io.BytesIO(data))
        path = _first_sheet_path(zf)
        shared = _shared_strings(zf)
        dates = _date_styles(zf)
        info = zf.getinfo(path)
        if info.file_size > MAX_PART_BYTES:
            raise XlsxError(path)
        declared = _declared_rows(zf.open(path))
        stream = zf.open(path)
    except (zipfile.BadZipFile, KeyError, ParseError, OSError, ValueError) as exc:
        raise XlsxError(str(exc)) from None
    merged: list[str] = []
    return Sheet(declared, _rows(stream, shared, dates, merged), merged)


def _declared_rows(stream) -> int:
    """The last row of the sheet's <dimension ref="A1:P10001">, read from the part's start."""
    head = stream.read(4096).decode("utf-8", "replace")
    match = re.search(r'<(?:\w+:)?dimension ref="[A-Z]*\d*:?[A-Z]*(\d+)"', head)
    return int(match.group(1)) if match else 0


def _rows(
    stream, shared: list[str], dates: set[int], merged: list[str]
) -> Iterator[tuple[int, list]]:
    from openpyxl.utils.datetime import from_excel

    row_tag, cell_tag, value_tag = f"{MAIN}row", f"{MAIN}c", f"{MAIN}v"
    inline_tag, text_tag, merge_tag = f"{MAIN}is", f"{MAIN}t", f"{MAIN}mergeCell"
    values: list = []
    number = 0
    columns: dict[str, int] = {}  # "AB" → 27, for the few column letters a sheet has
    try:
        for _event, element in iterparse(stream, events=("end",)):
            tag = element.tag
            if tag == cell_tag:
                ref = element.get("r")
                column = columns.get(ref.rstrip(_DIGITS)) if ref else None
                if column is None:
                    match = _CELL_REF.match(ref) if ref else None
                    column = _column_index(match.group(1)) if match else len(values)
                    if match and match.end() == len(ref):
                        columns[match.group(1)] = column
                kind = element.get("t", "n")
                if kind == "inlineStr":
                    inline = element.find(inline_tag)
                    value = (
                        "".join(t.text or "" for t in inline.iter(text_tag))
                        if inline is not None
                        else ""
                    )
                else:
                    v = element.find(value_tag)
                    text = v.text if v is not None else None
                    if text is None:
                        value = None
                    elif kind == "s":
                        value = shared[int(text)]
                    elif kind == "b":
                        value = text == "1"
                    elif kind in ("str", "e"):
                        value = text
                    else:
                        value = _number(text)
                        if dates and int(element.get("s", "0") or 0) in dates:
                            value = from_excel(value)
                if column >= MAX_COLUMNS:
                    raise XlsxError(ref)
                if value is not None:
                    if column >= len(values):
                        values.extend([None] * (column + 1 - len(values)))
                    values[column] = value
            elif tag == row_tag:
                r = element.get("r")
                number = int(r) if r and r.isdigit() else number + 1
                if values:
                    yield number, values
                values = []
                element.clear()
            elif tag == merge_tag:
                ref = element.get("ref")
                if ref and ":" in ref:
                    range_bounds(ref)  # refuses a malformed reference
                    merged.append(ref)
    except (ParseError, KeyError, IndexError, ValueError, zipfile.BadZipFile, OSError) as exc:
        raise XlsxError(str(exc)) from None
