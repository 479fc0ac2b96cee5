"""Reading a clock-in file (docs/policy.md §7): an .xlsx workbook's first sheet or a CSV file
(UTF-8, UTF-16 or GBK), its header row found among the first rows whatever the export calls its
columns, and each row read into a ``Line``: the person, the day and its punches, or the county
sheet's mark and hours. Each bad cell is reported with the row's number; nothing here reads the
registry (``check`` does)."""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import re
from collections.abc import Iterator
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.utils.translation import gettext as _

from gongyi.errors import DomainError
from gongyi.importing import _text, read_rows
from gongyi.text import control_character_error
from people.idnumbers import IdNumberError, parse_id_number
from subsidies.attendance.clockin.shared import Line

#: Rows one file may hold: a township's month of punches (1,500 people × 23 days × 4 punches).
MAX_ROWS = 200_000
#: The rows above the header a file may have (a clock-in export's title and its dates).
HEADER_SEARCH_ROWS = 10

#: The county's own sheet, as its template has it.
SHEET_HEADERS = ("姓名", "身份证号", "日期", "考勤", "工时")
#: What a column may be called, after spaces and a bracketed unit are dropped.
ALIASES = {
    "name": ("姓名", "名字", "人员姓名", "员工姓名", "name"),
    "id_number": (
        "身份证号",
        "身份证号码",
        "身份证",
        "公民身份号码",
        "证件号码",
        "证件号",
    ),
    # Read as the ID number when the file has no column of that name (the app's 工号 set to it).
    "staff_number": ("工号", "员工工号", "userid"),
    "date": ("日期", "考勤日期", "打卡日期", "工作日期", "date"),
    "time": ("打卡时间", "时间", "签到时间", "打卡时刻", "实际打卡时间", "time"),
    "mark": ("考勤", "出勤", "考勤情况", "出勤情况", "考勤标记"),
    "hours": ("工时", "工作时长", "时长", "小时数", "hours"),
}
#: Words a clock-in export writes in a punch cell for no punch.
NO_PUNCH = frozenset({"未打卡", "缺卡", "无", "-", "--", "—", "休息", "无需打卡"})
_TIME = re.compile(r"(?<!\d)(\d{1,2}):(\d{2})(?::(\d{2}))?(?!\d)")
_DATE = re.compile(r"^(\d{4})\s*[-/.年]\s*(\d{1,2})\s*[-/.月]\s*(\d{1,2})\s*日?(?:[\sT].*)?$")
_DATE_DIGITS = re.compile(r"^(\d{4})(\d{2})(\d{2})$")
_BRACKETED = re.compile(r"[（(][^)）]*[)）]$")
TENTH = Decimal("0.1")


# --- reading the file ------------------------------------------------------------------------


def _header_key(text: str) -> str:
    return _BRACKETED.sub("", re.sub(r"\s", "", text)).lower()


_KEY_OF = {alias.lower(): key for key, aliases in ALIASES.items() for alias in aliases}


def _columns(header: list) -> dict[str, list[int]]:
    """Column key → positions of the header's columns it may be read from (several punch-time
    columns: 上班1打卡时间, 下班1打卡时间…); other columns are left alone."""
    found: dict[str, list[int]] = {}
    for i, cell in enumerate(header):
        text = _header_key(_text(cell))
        key = _KEY_OF.get(text) or ("time" if "打卡时间" in text else None)
        if key is not None and (key == "time" or key not in found):
            found.setdefault(key, []).append(i)
    staff = found.pop("staff_number", None)
    if staff and "id_number" not in found:
        found["id_number"] = staff
    return found


def _is_header(columns: dict[str, list[int]]) -> bool:
    return {"name", "id_number"} <= set(columns) and bool({"date", "time"} & set(columns))


def _decode(data: bytes) -> str:
    """The text of a CSV file: UTF-8 (with or without a BOM, as Excel's "CSV UTF-8" writes it),
    UTF-16 with its BOM, or GBK (GB 18030, as Excel's plain "CSV" writes it on a Chinese
    Windows)."""
    if data.startswith(codecs.BOM_UTF8):
        encodings = ["utf-8-sig"]
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encodings = ["utf-16"]
    else:
        encodings = ["utf-8", "gb18030"]
    for encoding in encodings:
        try:
            return data.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise DomainError(
        _(
            "This file is neither an Excel .xlsx workbook nor a CSV file in UTF-8 or GBK. Save "
            "it as .xlsx or as CSV and import that."
        )
    )


def _csv_rows(data: bytes, max_rows: int) -> tuple[int, Iterator[tuple[int, list]]]:
    text = _decode(data)
    if "\x00" in text:
        raise DomainError(_("This is not a text CSV file. Save it as .xlsx or as CSV."))
    lines = text.count("\n") + 1
    if lines > max_rows + HEADER_SEARCH_ROWS + 1:
        raise DomainError(
            _(
                "The file has %(n)s rows; one import takes at most %(max)s. Split it into smaller files."
            )
            % {"n": lines, "max": max_rows}
        )
    first = text[: text.find("\n") if "\n" in text else len(text)]
    delimiter = max((",", "\t", ";"), key=first.count)

    def rows():
        try:
            for number, values in enumerate(csv.reader(io.StringIO(text), delimiter=delimiter), 1):
                yield number, [value.strip() or None for value in values]
        except csv.Error:
            raise DomainError(
                _("The CSV file cannot be read: save it again from Excel as CSV.")
            ) from None

    return lines, rows()


def _xlsx_rows(data: bytes, max_rows: int, merged: list[str]) -> tuple[int, Iterator]:
    rows = read_rows(data, max_rows=max_rows + HEADER_SEARCH_ROWS, merged=merged)
    declared, first = next(rows)

    def numbered():
        # The first row read is the first that holds anything; ``read_rows`` numbers only those
        # below it, so it is the row before the first of them.
        pending = first
        for number, values in rows:
            if pending is not None:
                yield number - 1, pending
                pending = None
            yield number, values
        if pending is not None:
            yield 1, pending

    return declared, numbered()


def file_rows(data: bytes, merged: list[str]) -> tuple[int, Iterator[tuple[int, list]]]:
    """The number of rows the file says it has (0 if it does not), and (row number, values) of
    its rows: of an .xlsx workbook's first sheet, or of a CSV file."""
    if data[:2] == b"PK" or data[:4] == b"\xd0\xcf\x11\xe0":
        return _xlsx_rows(data, MAX_ROWS, merged)
    return _csv_rows(data, MAX_ROWS)


# --- reading cells ---------------------------------------------------------------------------


def _day(value) -> dt.date:
    """A date cell: a real date, or the whole date written out (2026-11-02, 2026/11/2,
    2026年11月2日, 20261102, with a weekday or a time after it, as exports write it)."""
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if isinstance(value, bool | int | float):
        raise ValueError(
            _("%(value)s is a number, not a date: format the column as dates, such as 2026-11-02.")
            % {"value": _text(value)}
        )
    text = _text(value)
    if not text:
        raise ValueError(_("Enter the date."))
    match = _DATE.match(text) or _DATE_DIGITS.match(text)
    if match is None:
        raise ValueError(
            _("“%(value)s” is not a whole date: write it with its year, such as 2026-11-02.")
            % {"value": text[:20]}
        )
    try:
        return dt.date(*(int(part) for part in match.groups()))
    except ValueError:
        raise ValueError(_("The date %(value)s does not exist.") % {"value": text[:20]}) from None


def _punches(value) -> list[dt.time]:
    """The punch times of a cell: a time, a date and time, or text holding one or more times
    (08:58, 2026-11-02 08:58:12, 正常 08:58 / 18:02); none for an empty cell or a no-punch
    word (未打卡, 缺卡…)."""
    if value is None:
        return []
    if isinstance(value, dt.datetime):
        return [value.time()]
    if isinstance(value, dt.time):
        return [value]
    if isinstance(value, dt.timedelta) and value < dt.timedelta(days=1):
        return [(dt.datetime.min + value).time()]
    text = _text(value)
    if not text or text in NO_PUNCH:
        return []
    times = []
    if not isinstance(value, bool | int | float):
        for hour, minute, second in _TIME.findall(text):
            if int(hour) > 23 or int(minute) > 59 or int(second or 0) > 59:
                times = []
                break
            times.append(dt.time(int(hour), int(minute), int(second or 0)))
    if not times:
        raise ValueError(
            _("“%(value)s” is not a punch time: write it as 08:30.") % {"value": text[:20]}
        )
    return times


def _punch_hours(punches: list[dt.time], max_hours: int) -> Decimal:
    """The last punch less the first, in hours to one decimal rounded half up, at most
    ``max_hours``."""
    first, last = min(punches), max(punches)
    seconds = (
        dt.datetime.combine(dt.date.min, last) - dt.datetime.combine(dt.date.min, first)
    ).total_seconds()
    hours = (Decimal(int(seconds)) / 3600).quantize(TENTH, rounding=ROUND_HALF_UP)
    return min(hours, Decimal(max_hours))


def _hours(value) -> Decimal | None:
    if value is None or _text(value) == "":
        return None
    try:
        hours = Decimal(str(value) if isinstance(value, int | float) else _text(value))
    except InvalidOperation:
        hours = None
    if isinstance(value, bool) or hours is None or not hours.is_finite():
        raise ValueError(_("Enter the hours worked as a number, such as 3.5."))
    if hours <= 0:
        raise ValueError(_("Hours worked must be more than 0."))
    if hours != hours.quantize(TENTH):
        raise ValueError(_("Hours are recorded to one decimal place."))
    return hours


# --- reading rows ----------------------------------------------------------------------------


def _find_header(rows) -> tuple[int, dict[str, list[int]], dict[str, str]]:
    """The header row among the first rows (an export may have a title above it): its number,
    the columns, and each key's header as the file has it."""
    seen = 0
    for number, values in rows:
        texts = [_text(v) for v in values]
        if not any(texts):
            continue
        columns = _columns(values)
        if _is_header(columns):
            headers = dict(
                zip(("name", "id_number", "date", "mark", "hours"), SHEET_HEADERS, strict=True)
            )
            headers |= {"time": "打卡时间"} if "date" in columns else {"date": "打卡时间"}
            headers |= {key: texts[places[0]] for key, places in columns.items()}
            return number, columns, headers
        seen += 1
        if seen >= HEADER_SEARCH_ROWS:
            break
    raise DomainError(
        _(
            "No header row with the columns 姓名, 身份证号 (or 工号), 日期 and 打卡时间 or 考勤 "
            "was found in the first rows. Keep the export's header row, or use the template."
        )
    )


def _read_line(number: int, values: list, columns, sheet_format: bool, bad) -> Line | None:
    """The row read into a ``Line`` (with its errors reported), or None when it cannot say
    whose day it is."""

    def cell(key: str):
        places = columns.get(key) or []
        return values[places[0]] if places and places[0] < len(values) else None

    name = _text(cell("name"))
    message = control_character_error(name) if name else _("Enter the name.")
    if message:
        bad(number, "name", message)
    raw_id = cell("id_number")
    id_number = None
    try:
        # A float is a number Excel has cut to 15 digits: parse_id_number says so.
        id_number = parse_id_number(raw_id if isinstance(raw_id, float) else _text(raw_id)).number
    except IdNumberError as error:
        bad(number, "id_number", str(error))
    line = Line(number, id_number or "", name, None)
    if not sheet_format:
        for i in columns["time"]:
            try:
                line.punches += _punches(values[i] if i < len(values) else None)
            except ValueError as error:
                bad(number, "time", str(error))
    try:
        if "date" in columns:
            line.day = _day(cell("date"))
        else:  # a punch written with its date: 2026-11-02 08:58
            line.day = _day(_punch_date(values, columns["time"]))
    except ValueError as error:
        bad(number, "date", str(error))
    if sheet_format:
        line.mark = _text(cell("mark"))
        try:
            line.hours = _hours(cell("hours"))
        except ValueError as error:
            bad(number, "hours", str(error))
        if not line.mark and line.hours is None:
            bad(number, "mark", _("Enter the day's mark: √ for present, or a kind of absence."))
    return line if id_number and line.day else None


def _punch_date(values: list, places: list[int]):
    for i in places:
        value = values[i] if i < len(values) else None
        if isinstance(value, dt.datetime) or _DATE.match(_text(value)):
            return value
    raise ValueError(_("The punch time has no date: add the 日期 column."))
