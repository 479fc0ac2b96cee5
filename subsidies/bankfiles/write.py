"""Writing the payment file (代发文件) in a county's bank template (docs/policy.md §7).

The lines are streamed: an xlsx file through xlsxwriter's constant_memory mode (each row goes to
a temporary file as soon as the next starts), a text file in chunks encoded as they fill; so a
100,000-line file needs no more memory than a few thousand lines (bench ``payout_files``).

A value the file cannot hold is an error naming the line, never a silent change: a character
outside GBK (a rare character in a name) is not written as "?", and a delimiter or line break
inside a value of a text file is not quoted (banks' batch systems split lines on the delimiter
and know no quoting). The output is then incomplete: write into a temporary file and keep it
only when this returns.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import shutil
import tempfile
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import BinaryIO

from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from subsidies.bankfiles.money import amount_text, yuan_decimal
from subsidies.bankfiles.templates import (
    AmountFormat,
    ControlPlace,
    Encoding,
    Field,
    FileFormat,
    FileTemplate,
)

#: Text lines encoded at a time.
CHUNK = 2000
#: What the user is told each encoding is called.
ENCODING_NAMES = {Encoding.GBK: "GBK", Encoding.UTF8: "UTF-8", Encoding.UTF8_BOM: "UTF-8"}


@dataclass(frozen=True)
class FileTotals:
    """What the file states: its line count and total (fen)."""

    count: int
    total: int


def payment_file_write(
    template: FileTemplate, lines: Iterable[Mapping], out: BinaryIO
) -> FileTotals:
    """Write ``lines`` (payout line dicts keyed by ``Field``; ``amount`` in fen, ``period`` a
    date) to the binary stream ``out`` in ``template``'s format, with the count and the total
    where the template puts them. DomainError naming the line when a value cannot be written."""
    if template.file_format == FileFormat.XLSX:
        return _write_xlsx(template, lines, out)
    return _write_text(template, lines, out)


def _cells(template: FileTemplate, position: int, line: Mapping) -> tuple[list[str], int]:
    """The line's values as text in the template's order, and its amount (fen)."""
    amount = line.get(Field.AMOUNT)
    if isinstance(amount, bool) or not isinstance(amount, int):
        raise DomainError(
            _("Payout line %(n)s: the amount is not a whole number of fen.") % {"n": position}
        )
    cells = []
    for column in template.columns:
        value = line.get(column.field)
        if column.field == Field.AMOUNT:
            cells.append(amount_text(amount, template.amount_format))
        elif column.field == Field.PERIOD and isinstance(value, dt.date):
            cells.append(value.strftime(template.period_format))
        else:
            cells.append("" if value is None else str(value))
    return cells, amount


def _line_label(template: FileTemplate, position: int, cells: list[str]) -> str:
    fields = [c.field for c in template.columns]
    name = cells[fields.index(Field.NAME)] if Field.NAME in fields else ""
    if name:
        return _("Payout line %(n)s (%(name)s)") % {"n": position, "name": name}
    return _("Payout line %(n)s") % {"n": position}


# --- text ---------------------------------------------------------------------------------------


def _write_text(template: FileTemplate, lines: Iterable[Mapping], out: BinaryIO) -> FileTotals:
    codec = "utf-8" if template.encoding == Encoding.UTF8_BOM else str(template.encoding)
    if template.encoding == Encoding.UTF8_BOM:
        out.write(b"\xef\xbb\xbf")
    control = template.control
    if control == ControlPlace.FIRST_LINE:
        # The count and total go above the lines: the lines wait in a temporary file, not in
        # memory, until they are known.
        with tempfile.TemporaryFile() as body:
            totals = _text_body(template, lines, body, codec)
            _text_control(template, totals, out, codec)
            body.seek(0)
            shutil.copyfileobj(body, out)
        return totals
    totals = _text_body(template, lines, out, codec)
    if control == ControlPlace.LAST_LINE:
        _text_control(template, totals, out, codec)
    return totals


def _writer(template: FileTemplate, buffer: io.StringIO):
    # No quoting: a value holding the delimiter or a line break raises csv.Error.
    return csv.writer(
        buffer,
        delimiter=template.delimiter,
        lineterminator=template.line_ending,
        quoting=csv.QUOTE_NONE,
        quotechar=None,
        escapechar=None,
    )


def _text_control(template: FileTemplate, totals: FileTotals, out: BinaryIO, codec: str) -> None:
    buffer = io.StringIO()
    _writer(template, buffer).writerow(
        [*template.control_prefix, totals.count, amount_text(totals.total, template.amount_format)]
    )
    out.write(buffer.getvalue().encode(codec))


def _text_body(template: FileTemplate, lines: Iterable[Mapping], out: BinaryIO, codec: str):
    buffer = io.StringIO()
    writer = _writer(template, buffer)
    if template.header_row:
        headers = [c.header for c in template.columns]
        writer.writerow(headers)
        _flush(template, buffer, [(0, headers)], out, codec)
    chunk: list[tuple[int, list[str]]] = []
    count = total = 0
    for position, line in enumerate(lines, start=1):
        cells, amount = _cells(template, position, line)
        try:
            writer.writerow(cells)
        except csv.Error:
            raise _delimiter_error(template, position, cells) from None
        chunk.append((position, cells))
        count += 1
        total += amount
        if len(chunk) == CHUNK:
            _flush(template, buffer, chunk, out, codec)
            chunk = []
    _flush(template, buffer, chunk, out, codec)
    return FileTotals(count, total)


def _flush(template, buffer: io.StringIO, chunk, out: BinaryIO, codec: str) -> None:
    text = buffer.getvalue()
    buffer.seek(0)
    buffer.truncate()
    try:
        out.write(text.encode(codec))
    except UnicodeEncodeError:
        raise _encoding_error(template, chunk, codec) from None


def _encoding_error(template: FileTemplate, chunk, codec: str) -> DomainError:
    """The first value of the chunk that ``codec`` cannot hold, named."""
    for position, cells in chunk:
        for column, value in zip(template.columns, cells, strict=True):
            for char in value:
                try:
                    char.encode(codec)
                except UnicodeEncodeError:
                    where = (
                        _line_label(template, position, cells) if position else _("The header row")
                    )
                    return DomainError(
                        _(
                            "%(where)s, column %(column)s: the character “%(char)s” (U+%(code)04X) "
                            "cannot be written in %(encoding)s, the encoding the bank's template "
                            "asks for. Ask the bank how it takes this character, or whether it "
                            "takes UTF-8."
                        )
                        % {
                            "where": where,
                            "column": column.header,
                            "char": char,
                            "code": ord(char),
                            "encoding": ENCODING_NAMES[template.encoding],
                        }
                    )
    return DomainError(_("The file cannot be written in the bank's encoding."))


def _delimiter_error(template: FileTemplate, position: int, cells: list[str]) -> DomainError:
    for column, value in zip(template.columns, cells, strict=True):
        if template.delimiter in value or "\n" in value or "\r" in value:
            return DomainError(
                _(
                    "%(where)s, column %(column)s: the value holds the file's delimiter "
                    "“%(delimiter)s” or a line break, which the bank would read as a new column "
                    "or line. Correct the value."
                )
                % {
                    "where": _line_label(template, position, cells),
                    "column": column.header,
                    "delimiter": template.delimiter,
                }
            )
    return DomainError(
        _("%(where)s cannot be written as a line of the bank's text file.")
        % {"where": _line_label(template, position, cells)}
    )


# --- xlsx ---------------------------------------------------------------------------------------


def _write_xlsx(template: FileTemplate, lines: Iterable[Mapping], out: BinaryIO) -> FileTotals:
    import xlsxwriter

    workbook = xlsxwriter.Workbook(
        out,
        {
            # Each row leaves memory when the next one starts.
            "constant_memory": True,
            # Values are written as they are: "=1+1" stays text, "0012" keeps its zeros.
            "strings_to_numbers": False,
            "strings_to_formulas": False,
            "strings_to_urls": False,
        },
    )
    text = workbook.add_format({"num_format": "@"})
    yuan = workbook.add_format({"num_format": "0.00"})
    sheet = workbook.add_worksheet(template.sheet_name)
    control = (
        workbook.add_worksheet(template.control_sheet_name)
        if template.control == ControlPlace.SHEET
        else None
    )
    fields = [c.field for c in template.columns]
    amount_at = fields.index(Field.AMOUNT) if Field.AMOUNT in fields else None
    for i, field in enumerate(fields):
        width = 22 if field in (Field.ID_NUMBER, Field.ACCOUNT_NUMBER) else 12
        sheet.set_column(i, i, width, None if i == amount_at else text)
    row = 0
    if template.header_row:
        for i, column in enumerate(template.columns):
            sheet.write_string(0, i, column.header)
        row = 1
    write_string, write_number = sheet.write_string, sheet.write_number
    in_yuan = template.amount_format == AmountFormat.YUAN
    count = total = 0
    for position, line in enumerate(lines, start=1):
        cells, amount = _cells(template, position, line)
        for i, value in enumerate(cells):
            if i == amount_at:
                if in_yuan:
                    write_number(row, i, yuan_decimal(amount), yuan)
                else:
                    write_number(row, i, amount)
            elif value:
                write_string(row, i, value)
        row += 1
        count += 1
        total += amount
    if control is not None:
        control.set_column(0, 1, 14)
        control.write_string(0, 0, template.control_labels[0])
        control.write_number(0, 1, count)
        control.write_string(1, 0, template.control_labels[1])
        if in_yuan:
            control.write_number(1, 1, yuan_decimal(total), yuan)
        else:
            control.write_number(1, 1, total)
    workbook.close()
    return FileTotals(count, total)
