"""Reading the bank's return file (回盘文件) in its template (docs/policy.md §7): an .xlsx through
the imports' reader (python-calamine in a limited child process, gongyi/xlsx.py), or delimited
text in the template's encoding. A file in another encoding than the template's is refused with
what it seems to be; every row that cannot be read is reported by its row number, and the rest
are returned for ``return_match``. Changes nothing."""

from __future__ import annotations

import codecs
import csv
import io
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import BinaryIO

from django.utils.translation import gettext as _

from gongyi.errors import CellError, DomainError
from gongyi.importing import _text, excel_number_lost, read_rows
from people.idnumbers import normalise
from subsidies.bankfiles.enums import BankResult, FailureReason, failure_reason
from subsidies.bankfiles.money import amount_fen
from subsidies.bankfiles.templates import (
    Encoding,
    FileFormat,
    ReturnColumn,
    ReturnField,
    ReturnTemplate,
)

#: The most lines a return file may have (a payout batch is one township's month).
RETURN_MAX_ROWS = 200_000
#: The header row is looked for in this many rows from the top.
HEADER_SEARCH_ROWS = 20
ENCODING_NAMES = {Encoding.GBK: "GBK", Encoding.UTF8: "UTF-8", Encoding.UTF8_BOM: "UTF-8"}


@dataclass(frozen=True)
class ReturnRow:
    """A line of the bank's return, as read: ``row`` as the user counts the file's rows."""

    row: int
    id_number: str  # normalised as people/idnumbers.py does
    account_number: str
    amount: int  # fen
    result: BankResult
    reason: FailureReason | None  # None when paid
    reason_text: str  # the bank's own words
    name: str = ""
    remark: str = ""  # the payment file's remark, when the bank echoes it


@dataclass
class ReturnRead:
    rows: list[ReturnRow] = field(default_factory=list)
    errors: list[CellError] = field(default_factory=list)
    #: Rows left out: empty, or the bank's summary line.
    skipped: list[int] = field(default_factory=list)


def return_file_read(
    template: ReturnTemplate, file: bytes | BinaryIO, *, max_rows: int = RETURN_MAX_ROWS
) -> ReturnRead:
    """The lines of the return file ``file`` (bytes or a binary stream) read by ``template``;
    DomainError when the file as a whole cannot be read (not the template's format or
    encoding, no header row); each unreadable row in ``errors``."""
    data = file if isinstance(file, bytes) else file.read()
    if template.file_format == FileFormat.XLSX:
        rows = _xlsx_rows(data, max_rows)
    else:
        rows = _text_rows(template, data, max_rows)
    positions, labels = _columns(template, rows)
    return _read(template, rows, positions, labels)


# --- the file's rows ----------------------------------------------------------------------------


def _xlsx_rows(data: bytes, max_rows: int) -> Iterator[tuple[int, list]]:
    if data[:2] != b"PK" and data[:4] != b"\xd0\xcf\x11\xe0":
        raise DomainError(
            _(
                "The bank's template says the return file is an Excel .xlsx file, and this file "
                "is not one. Upload the file the bank sent, or correct the template."
            )
        )
    first_number: list[int] = []
    rows = read_rows(data, max_rows=max_rows, header_number=first_number)
    _declared, first = next(rows)
    yield first_number[0], list(first)
    for number, values in rows:
        yield number, list(values)


def _text_rows(template: ReturnTemplate, data: bytes, max_rows: int):
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        raise DomainError(
            _(
                "The bank's template says the return file is delimited text, and this file is "
                "an Excel workbook. Upload the text file the bank sent, or correct the template."
            )
        )
    text = _decode(data, template.encoding)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=template.delimiter)
    for values in reader:
        if reader.line_num > max_rows + HEADER_SEARCH_ROWS:
            raise DomainError(
                _("The return file has more than %(max)s lines; one file takes at most that.")
                % {"max": max_rows}
            )
        yield reader.line_num, values


def _decode(data: bytes, encoding: Encoding) -> str:
    """The text of ``data``; DomainError naming the encoding it seems to be in when that is not
    the template's (a GBK file that was declared UTF-8, or the reverse)."""
    if data[:2] in (codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        raise _wrong_encoding(encoding, "UTF-16")
    if encoding == Encoding.GBK:
        if data.startswith(codecs.BOM_UTF8):
            raise _wrong_encoding(encoding, "UTF-8")
        try:
            text = data.decode("gbk")
        except UnicodeDecodeError as exc:
            if _is_utf8(data):
                raise _wrong_encoding(encoding, "UTF-8") from None
            raise _undecodable(data, exc, encoding) from None
        # UTF-8 bytes often decode as GBK too, into nonsense; Chinese text in GBK is almost never
        # valid UTF-8, so a file that is, and is not plain ASCII, is UTF-8.
        if not data.isascii() and _is_utf8(data):
            raise _wrong_encoding(encoding, "UTF-8")
        return text
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        try:
            data.decode("gb18030")
        except UnicodeDecodeError:
            raise _undecodable(data, exc, encoding) from None
        raise _wrong_encoding(encoding, "GBK") from None


def _is_utf8(data: bytes) -> bool:
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return True


def _wrong_encoding(declared: Encoding, found: str) -> DomainError:
    return DomainError(
        _(
            "The return file is in the %(found)s encoding, but the bank's template says "
            "%(declared)s, so its Chinese would be read wrongly. Ask the bank for the file in "
            "%(declared)s, or correct the template's encoding."
        )
        % {"found": found, "declared": ENCODING_NAMES[declared]}
    )


def _undecodable(data: bytes, exc: UnicodeDecodeError, encoding: Encoding) -> DomainError:
    return DomainError(
        _(
            "Row %(row)s of the return file cannot be read in %(encoding)s, the bank's "
            "template's encoding, nor in another the file could be in. Ask the bank for the "
            "file again."
        )
        % {"row": data.count(b"\n", 0, exc.start) + 1, "encoding": ENCODING_NAMES[encoding]}
    )


# --- columns ------------------------------------------------------------------------------------


def _columns(template: ReturnTemplate, rows) -> tuple[dict[ReturnField, int], dict]:
    """Each field's index in a row, and the label it is reported under. With a header row, the
    rows down to it are read from ``rows``; without, the template's ``skip_lines``."""
    if not template.header_row:
        for _i in range(template.skip_lines):
            next(rows, None)
        return (
            {c.field: c.position - 1 for c in template.columns},
            {c.field: _column_label(c) for c in template.columns},
        )
    wanted = {c.header.strip(): c.field for c in template.columns}
    # The remark is read where the bank echoes it; a return without that column is read all the
    # same (the batch's reference is then not checked: docs/policy.md §7).
    required = {f for f in wanted.values() if f != ReturnField.REMARK}
    first_seen = None
    for _i, (_number, values) in zip(range(HEADER_SEARCH_ROWS), rows, strict=False):
        texts = [_text(v) for v in values]
        if first_seen is None and any(texts):
            first_seen = texts
        found = {wanted[t]: i for i, t in enumerate(texts) if t in wanted}
        if required <= set(found):
            return found, {c.field: c.header for c in template.columns}
    missing = [h for h, f in wanted.items() if f in required and h not in (first_seen or [])]
    raise DomainError(
        _(
            "The return file has no header row with the bank template's columns in its first "
            "%(n)s rows; missing: %(missing)s. Check that this is the bank's return file and "
            "that the template's headers are the bank's."
        )
        % {"n": HEADER_SEARCH_ROWS, "missing": "、".join(missing)}
    )


def _column_label(column: ReturnColumn) -> str:
    return column.header or _("column %(n)s") % {"n": column.position}


# --- rows ---------------------------------------------------------------------------------------


def _read(template: ReturnTemplate, rows, positions: dict, labels: dict) -> ReturnRead:
    result = ReturnRead()
    paid = {w.strip() for w in template.paid_words}
    failed = {w.strip() for w in template.failed_words}
    words = "、".join([*template.paid_words, *template.failed_words])
    at = positions.get
    id_at, account_at, amount_at = (
        at(ReturnField.ID_NUMBER),
        at(ReturnField.ACCOUNT_NUMBER),
        at(ReturnField.AMOUNT),
    )
    status_at, reason_at, name_at, remark_at = (
        at(ReturnField.STATUS),
        at(ReturnField.REASON),
        at(ReturnField.NAME),
        at(ReturnField.REMARK),
    )
    summaries = tuple(template.summary_prefixes)
    amount_format = template.amount_format
    for number, values in rows:
        width = len(values)

        def cell(i, values=values, width=width):
            return values[i] if i is not None and i < width else None

        first = next((t for t in (_text(v) for v in values) if t), "")
        if not first or (summaries and first.startswith(summaries)):
            result.skipped.append(number)
            continue
        errors: list[CellError] = []
        raw_id, raw_account = cell(id_at), cell(account_at)
        id_number = account = ""
        if excel_number_lost(raw_id):
            errors.append(CellError(number, labels[ReturnField.ID_NUMBER], _lost(raw_id)))
        else:
            id_number = normalise(_text(raw_id))
            if not id_number:
                errors.append(
                    CellError(number, labels[ReturnField.ID_NUMBER], _("The ID number is empty."))
                )
        if excel_number_lost(raw_account):
            errors.append(CellError(number, labels[ReturnField.ACCOUNT_NUMBER], _lost(raw_account)))
        else:
            account = "".join(_text(raw_account).split())
            if not account:
                errors.append(
                    CellError(
                        number,
                        labels[ReturnField.ACCOUNT_NUMBER],
                        _("The card or account number is empty."),
                    )
                )
        amount = 0
        try:
            amount = amount_fen(cell(amount_at), amount_format)
        except ValueError as exc:
            errors.append(CellError(number, labels[ReturnField.AMOUNT], str(exc)))
        status = _text(cell(status_at))
        if status in paid:
            bank_result = BankResult.PAID
        elif status in failed:
            bank_result = BankResult.FAILED
        else:
            bank_result = None
            errors.append(
                CellError(
                    number,
                    labels[ReturnField.STATUS],
                    _("“%(value)s” is not one of the bank's words for the result (%(words)s).")
                    % {"value": status, "words": words},
                )
            )
        if errors:
            result.errors.extend(errors)
            continue
        reason_text = _text(cell(reason_at))
        result.rows.append(
            ReturnRow(
                row=number,
                id_number=id_number,
                account_number=account,
                amount=amount,
                result=bank_result,
                reason=failure_reason(reason_text) if bank_result == BankResult.FAILED else None,
                reason_text=reason_text,
                name=_text(cell(name_at)),
                remark=_text(cell(remark_at)),
            )
        )
    return result


def _lost(value) -> str:
    return _(
        "Excel has turned the number into %(value)s and lost its last digits; ask the bank for "
        "the file with this column as text."
    ) % {"value": excel_number_lost(value)}
