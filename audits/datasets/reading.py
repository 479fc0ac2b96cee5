"""Reading an external dataset's file (docs/policy.md §8): an .xlsx workbook's first sheet or a
CSV file (UTF-8 with or without its BOM, UTF-16, or GBK as Excel's plain "CSV" writes it on a
Chinese Windows), read as a stream, and each cell read into the text COPY takes.

The readers are written for 5,000,000 rows: an ID number in the usual form (18 ASCII
characters) is checked by its check character and a birth date already seen, and anything else
goes through ``people.idnumbers.parse_id_number``, which decides; a date's text is read once per
distinct text.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Callable, Iterator

from django.utils.translation import gettext as _

from audits.datasets.kinds import DATE, END_MONTH, ID, MAX_LENGTH, MONTH, NAME, Field
from gongyi.errors import DomainError
from gongyi.importing import read_rows
from gongyi.text import control_character_error
from people.idnumbers import CHECK_CHARACTERS, WEIGHTS, IdNumberError, parse_id_number

#: COPY's text format: NULL.
NULL = "\\N"
_SAMPLE = 1024 * 1024


# --- the file -----------------------------------------------------------------------------------


def is_xlsx(head: bytes) -> bool:
    return head[:2] == b"PK" or head[:4] == b"\xd0\xcf\x11\xe0"


def count_lines(stream) -> int:
    """The lines of a text file (a last line without its line break counted), read in blocks."""
    lines, last = 0, b"\n"
    while block := stream.read(8 * 1024 * 1024):
        lines += block.count(b"\n")
        last = block[-1:]
    return lines + (last != b"\n")


def csv_encoding(head: bytes) -> str:
    """The encoding of a CSV file from its first bytes: a BOM says; else UTF-8 if they decode
    as UTF-8 (a character cut at the end allowed), else GB 18030 (GBK's superset)."""
    if head.startswith(codecs.BOM_UTF8):
        return "utf-8-sig"
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return "utf-16"
    try:
        codecs.getincrementaldecoder("utf-8")().decode(head, final=False)
    except UnicodeDecodeError:
        return "gb18030"
    return "utf-8"


def csv_rows(stream, encoding: str) -> Iterator[tuple[int, list]]:
    """(row number, cells) of a CSV file, the header being row 1; a file that cannot be read as
    one is refused as a whole."""
    text = io.TextIOWrapper(stream, encoding=encoding, newline="")
    try:
        first = text.readline()
    except UnicodeDecodeError:
        raise _mixed_encoding() from None
    delimiter = max((",", "\t", ";"), key=first.count)

    def lines():
        yield first
        yield from text

    reader = csv.reader(lines(), delimiter=delimiter)
    number = 0
    try:
        for number, cells in enumerate(reader, 1):
            yield number, cells
    except UnicodeDecodeError:
        raise _mixed_encoding() from None
    except csv.Error:
        raise DomainError(
            _("Row %(row)s of the CSV file cannot be read: save it again from Excel as CSV.")
            % {"row": number + 1}
        ) from None


def _mixed_encoding() -> DomainError:
    return DomainError(
        _(
            "The CSV file is neither all UTF-8 nor all GBK. Open it in Excel and save it again "
            "as CSV, or as .xlsx."
        )
    )


def xlsx_rows(data: bytes, max_rows: int) -> tuple[int, Iterator[tuple[int, list]]]:
    """The rows the sheet declares (0 if unknown), and (row number, cells) of its first sheet
    from the header on (``gongyi.importing.read_rows``: an old .xls, a damaged or oversized
    file refused)."""
    rows = read_rows(data, max_rows=max_rows)
    declared, header = next(rows)

    def numbered():
        yield 0, header  # numbered by the caller: the row before the first body row
        yield from rows

    return declared, numbered()


# --- the cells ----------------------------------------------------------------------------------

_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:\s+[\d:]+)?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_MONTH = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*月?$")
_MONTH_DIGITS = re.compile(r"^(\d{4})(\d{2})$")
#: Distinct date texts read at most: past it the cache starts again (a list has a few thousand).
_CACHE_SIZE = 200_000


def _plain(value) -> str:
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    return str(value).strip()


def id_reader() -> Callable[[object], str]:
    """The ID number of a cell, as the registry stores it (``people.idnumbers``: 15 digits made
    18, x upper-case, full-width digits made ASCII); IdNumberError with the message else. The
    address code is never checked (docs/policy.md §5).

    Every number ``parse_id_number`` has accepted leaves its first 14 characters (address and
    birth date: a few thousand in a county's list) with their weighted sum; a later number of
    18 ASCII characters with a known head is checked by that sum and its order code's, two
    look-ups instead of seventeen multiplications. Anything else goes to ``parse_id_number``."""
    heads: dict[str, int] = {}
    orders = {
        f"{n:03d}": sum(int(d) * w for d, w in zip(f"{n:03d}", WEIGHTS[14:], strict=True))
        for n in range(1000)
    }
    checks = CHECK_CHARACTERS

    def read(value) -> str:
        if type(value) is str and len(value) == 18:
            head = heads.get(value[:14])
            if head is not None:
                order = orders.get(value[14:17])
                if order is not None and checks[(head + order) % 11] == value[17]:
                    return value
        number = parse_id_number(value).number
        if len(heads) >= _CACHE_SIZE:
            heads.clear()
        heads[number[:14]] = sum(int(d) * w for d, w in zip(number[:14], WEIGHTS, strict=False))
        return number

    return read


def _date_of(value, *, month: bool, end: bool) -> dt.date:
    if isinstance(value, dt.datetime):
        value = value.date()
    if isinstance(value, dt.date):
        day = value
    else:
        text = _plain(value)
        match = None
        if month:
            match = _MONTH.match(text) or _MONTH_DIGITS.match(text)
            if match is not None:
                year, number = (int(part) for part in match.groups())
                if not 1 <= number <= 12:
                    raise ValueError(_("The month %(value)s does not exist.") % {"value": text})
                day = dt.date(year, number, 1)
        if match is None:
            match = _DATE.match(text) or _DATE_DIGITS.match(text)
            if match is None:
                example = "2020-03" if month else "2020-03-01"
                raise ValueError(
                    _("“%(value)s” is not a date. Write it as %(example)s.")
                    % {"value": text[:30], "example": example}
                )
            try:
                day = dt.date(*(int(part) for part in match.groups()))
            except ValueError:
                raise ValueError(
                    _("The date %(value)s does not exist.") % {"value": text[:30]}
                ) from None
    if month:
        day = day.replace(day=1)
        if end:
            day = (day + dt.timedelta(days=31)).replace(day=1) - dt.timedelta(days=1)
    if day.year < 1900 or day > dt.date.today() + dt.timedelta(days=366 if end else 0):
        raise ValueError(_("The date %(value)s is not possible here.") % {"value": day.isoformat()})
    return day


def date_reader(reads: str) -> Callable[[object], str]:
    """A date (or month) cell as COPY's ISO text; ValueError with the message else. Texts are
    read once each."""
    month, end = reads in (MONTH, END_MONTH), reads == END_MONTH
    seen: dict[str, str] = {}

    def read(value) -> str:
        if type(value) is str:
            found = seen.get(value)
            if found is None:
                found = _date_of(value, month=month, end=end).isoformat()
                if len(seen) >= _CACHE_SIZE:
                    seen.clear()
                seen[value] = found
            return found
        return _date_of(value, month=month, end=end).isoformat()

    return read


def text_reader(key: str) -> Callable[[object], str]:
    """A text cell as COPY's text: one line, no control character, within its length."""
    limit = MAX_LENGTH[key]

    def read(value) -> str:
        text = value.strip() if type(value) is str else _plain(value)
        if _CONTROL.search(text):
            raise ValueError(control_character_error(text))
        if len(text) > limit:
            raise ValueError(
                _("At most %(n)s characters; this has %(m)s.") % {"n": limit, "m": len(text)}
            )
        return text.replace("\\", "\\\\") if "\\" in text else text

    return read


def reader_of(field: Field) -> Callable[[object], str]:
    if field.reads == ID:
        return id_reader()
    if field.reads in (DATE, MONTH, END_MONTH):
        return date_reader(field.reads)
    return text_reader("name" if field.reads == NAME else field.key)


def cell_error(exc: Exception) -> str:
    if isinstance(exc, IdNumberError):
        return str(exc)
    return str(exc.args[0]) if exc.args else _("This cell cannot be read.")
