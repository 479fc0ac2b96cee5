"""Attendance imported from a file (docs/policy.md §7): a clock-in app's export (钉钉 or the like:
one row per punch, or per day with several punch columns) or the county's own sheet (one row per
person and day, with the mark the grid takes), checked whole first, then the good rows or nothing
(``gongyi.importing``, as the other imports).

People are found by their ID number (15 digits become 18, a lower-case x upper-case); the platform
keeps no staff numbers, so a 工号 column is read as the ID number, and the row's name must be the
person's. A row belongs to a placement in the importer's area on that day, in a month whose sheet
is open; the day must be a planned working day of the placement and not still to come. A day with
a punch is a day present; an hourly post's hours are its last punch less its first, to 0.1 hour
rounded half up, and no more than the most a day may record (``attendance.max_hours_per_day``).
Days without a punch stay as they are: leave and absence are marked on the grid.

Set-based: the people, their placements and their months are read once per file; the commit
locks the sheets concerned, writes every changed row of them in one statement and records one
audit entry per changed row and one for the import. The same file imported twice changes
nothing the second time.
"""

from __future__ import annotations

import codecs
import csv
import datetime as dt
import io
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import CellError, DomainError
from gongyi.importing import (
    CheckResult,
    _text,
    import_commit_once,
    merged_cell_errors,
    read_rows,
    without_gc,
)
from gongyi.jobs import register_job
from gongyi.models import Job
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from gongyi.text import control_character_error
from people.idnumbers import IdNumberError, parse_id_number
from people.models import Placement
from subsidies.attendance import planning
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.policy import MAX_HOURS_PER_DAY
from subsidies.attendance.roles import RECORD_ATTENDANCE
from subsidies.attendance.services import PRESENT_TOKENS, Marks

CHECK, COMMIT = "attendance.import_check", "attendance.import_commit"
#: Rows one file may hold: a township's month of punches (1,500 people × 23 days × 4 punches).
MAX_ROWS = 200_000
#: Months one file may cover: each is prepared (``planning.month_prepare``) before the check.
MAX_MONTHS = 12
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


# --- the check -------------------------------------------------------------------------------


@dataclass
class Line:
    """One row of the file, read: whose, which day, and what it says of the day."""

    number: int
    id_number: str
    name: str
    day: dt.date | None
    punches: list[dt.time] = field(default_factory=list)
    mark: str = ""
    hours: Decimal | None = None


@dataclass
class ClockInResult(CheckResult):
    #: (attendance row id, day index from 0) → (mark, hours): what a commit writes.
    cells: dict[tuple[int, int], tuple[int, Decimal | None]] = field(default_factory=dict)
    changed: int = 0

    def as_dict(self):
        return super().as_dict() | {"days": len(self.cells), "changed": self.changed}


@dataclass
class _Placed:
    pk: int
    name: str
    start: dt.date
    end: dt.date | None
    region_code: str


@dataclass
class _Month:
    pk: int
    sheet_id: int
    state: str
    hourly: bool
    planned: list


@without_gc
def clockin_import_check(*, actor, data: bytes, progress=None) -> ClockInResult:
    """Read and check a whole clock-in export or county sheet; write no attendance (the months
    concerned are prepared first, as 更新名单 does). Every bad row is in ``errors``; ``cells``
    holds what a commit would write."""
    require_role(actor, RECORD_ATTENDANCE)
    today = timezone.localdate()
    merged: list[str] = []
    declared, rows = file_rows(data, merged)
    header_number, columns, headers = _find_header(rows)
    sheet_format = "mark" in columns
    if not sheet_format and "time" not in columns:
        raise DomainError(
            _(
                "The file has neither a 打卡时间 column (a clock-in export) nor a 考勤 column (the "
                "county's sheet). Keep the header row of the export, or use the template."
            )
        )
    if sheet_format and "date" not in columns:
        raise DomainError(_("Missing columns: %(cols)s.") % {"cols": "日期"})
    result = ClockInResult()
    errors: dict[int, list[CellError]] = {}

    def bad(number: int, key: str, message: str) -> None:
        errors.setdefault(number, []).append(CellError(number, headers[key], message))

    read = sorted(i for positions in columns.values() for i in positions)
    lines: list[Line] = []
    last = header_number
    for number, values in rows:
        last = number
        if progress and number % 1000 == 0:
            progress(number, declared)
        if all(_text(values[i]) == "" for i in read if i < len(values)):
            result.empty_rows.append(number)
            continue
        result.rows += 1
        line = _read_line(number, values, columns, sheet_format, bad)
        if line is not None:
            lines.append(line)
    if result.rows == 0:
        raise DomainError(_("The file has no rows of attendance below its header."))
    positions = {key: places[0] for key, places in columns.items() if places}
    empty = set(result.empty_rows)
    for error in merged_cell_errors(merged, positions, headers, last_row=last):
        if error.row > header_number and error.row not in empty:
            errors.setdefault(error.row, []).insert(0, error)
    _check_days(actor, lines, sheet_format, today, result, errors, bad)
    for number in sorted(errors):
        result.errors.extend(errors[number])
    result.error_rows = set(errors)
    result.good = sorted({line.number for line in lines} - result.error_rows)
    if progress:
        progress(last, last)
    return result


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


def _plain(name: str) -> str:
    return re.sub(r"\s", "", name)


def _punch_date(values: list, places: list[int]):
    for i in places:
        value = values[i] if i < len(values) else None
        if isinstance(value, dt.datetime) or _DATE.match(_text(value)):
            return value
    raise ValueError(_("The punch time has no date: add the 日期 column."))


def _check_days(actor, lines: list[Line], sheet_format: bool, today, result, errors, bad) -> None:
    """Check each person's day against the registry and the months: the person in the area,
    the name, the placement on that day, the month open, a planned working day, not to come,
    once in the file; fill ``result.cells`` with the good days. A day is imported whole or not
    at all: a bad row leaves out the other rows of its day."""
    by_day: dict[tuple[str, dt.date], list[Line]] = {}
    for line in lines:
        by_day.setdefault((line.id_number, line.day), []).append(line)
    months = sorted({day.replace(day=1) for _id, day in by_day if day <= today})
    if len(months) > MAX_MONTHS:
        raise DomainError(
            _("The file covers %(n)s months; import at most %(max)s months at a time.")
            % {"n": len(months), "max": MAX_MONTHS}
        )
    for month in months:
        planning.month_prepare(month=month, region_code=user_region_code(actor))
    numbers = sorted({id_number for id_number, _day in by_day})
    placed = _placements(actor, numbers)
    elsewhere = _placed_anywhere([n for n in numbers if n not in placed])
    rows = _months(actor, [p.pk for ps in placed.values() for p in ps], months)
    sheets = {
        (region_code, month): state
        for region_code, month, state in scope_queryset(
            actor, AttendanceSheet.objects.filter(month__in=months)
        ).values_list("region_code", "month", "state")
    }
    county = user_region_code(actor)[:6]
    marks = Marks(county)
    max_hours = {m: policy_value(county, MAX_HOURS_PER_DAY, m) for m in months}
    for (id_number, day), group in by_day.items():
        if sheet_format and len(group) > 1:
            for line in group:
                others = "、".join(str(o.number) for o in group if o is not line)
                bad(
                    line.number,
                    "date",
                    _("The same person and day as row %(rows)s.") % {"rows": others},
                )
            continue
        failed = [line.number for line in group if line.number in errors]
        if failed:
            for line in group:
                if line.number not in errors:
                    bad(
                        line.number,
                        "date",
                        _(
                            "Row %(row)s of the same person and day has an error: the day is left "
                            "out."
                        )
                        % {"row": failed[0]},
                    )
            continue
        message, column, cell = _day_cell(
            id_number,
            day,
            group,
            placed,
            elsewhere,
            rows,
            sheets,
            marks,
            max_hours,
            today,
            sheet_format,
        )
        if message:
            for line in group:
                bad(line.number, column, message)
            continue
        person = placed[id_number][0].name
        wrong = [line for line in group if _plain(line.name) != _plain(person)]
        for line in wrong:
            bad(
                line.number,
                "name",
                _("%(name)s is not the name of this ID number's person (%(person)s).")
                % {"name": line.name, "person": person},
            )
        if not wrong and cell is not None:
            result.cells[cell[0]] = cell[1]


def _day_cell(
    id_number, day, group, placed, elsewhere, rows, sheets, marks, max_hours, today, sheet
):
    """(message, column, None) for a day that cannot be imported; (None, None, ((row id, day
    index), (mark, hours))) for one that can; (None, None, None) for a day of the person's
    without a punch, which imports nothing."""
    if id_number not in placed:
        if id_number in elsewhere:
            return (
                _("This person is on a post outside your area: their own village imports it."),
                "id_number",
                None,
            )
        return _("No one with this ID number is on a post in your area."), "id_number", None
    if not sheet and not any(line.punches for line in group):
        return None, None, None  # a day without a punch (未打卡): nothing to import
    if day > today:
        return _("%(day)s is still to come: it cannot be imported.") % {"day": day}, "date", None
    on_post = [p for p in placed[id_number] if p.start <= day and (p.end is None or day <= p.end)]
    if not on_post:
        now = _("to date")
        spans = "；".join(f"{p.start}—{p.end or now}" for p in placed[id_number])
        return (
            _("%(day)s is outside this person's placement (%(spans)s).")
            % {"day": day, "spans": spans},
            "date",
            None,
        )
    month = day.replace(day=1)
    row = next((rows[(p.pk, month)] for p in on_post if (p.pk, month) in rows), None)
    # No row: the month's sheet was no longer open when the placement's rows were prepared.
    state = row.state if row else sheets.get((on_post[0].region_code, month))
    if state != SheetState.OPEN:
        state = SheetState(state).label if state else _("not open")
        return (
            _("The month %(month)s is %(state)s: an import can no longer change it.")
            % {"month": f"{month:%Y-%m}", "state": state},
            "date",
            None,
        )
    index = day.day - 1
    if row.planned[index] <= 0:
        return (
            _("%(day)s is not a working day of this post (a rest day or holiday).") % {"day": day},
            "date",
            None,
        )
    if sheet:
        line = group[0]
        if line.hours is not None and not row.hourly:
            return _("This post is full-time: leave 工时 empty."), "hours", None
        text = line.mark
        if line.hours is not None:
            if text and text not in PRESENT_TOKENS:
                return _("Hours go with a day present (√) only."), "hours", None
            text = f"{line.hours}"
        try:
            cell = marks.parse(text, hourly=row.hourly, planned=row.planned[index])
        except DomainError as error:
            return error.message, "mark", None
        if cell.hours is not None and cell.hours > max_hours[month]:
            return (
                _("%(hours)s hours is more than the %(max)s a day may record.")
                % {"hours": cell.hours, "max": max_hours[month]},
                "hours",
                None,
            )
        return None, None, ((row.pk, index), (cell.mark, cell.hours))
    punches = sorted({p for line in group for p in line.punches})
    hours = None
    if row.hourly:
        if len(punches) < 2:
            return (
                _("An hourly post needs two punches a day (arriving and leaving) to count hours."),
                "time",
                None,
            )
        hours = _punch_hours(punches, max_hours[month])
        if hours <= 0:
            return _("The punches are too close together to count any hours."), "time", None
    return None, None, ((row.pk, index), (PRESENT, hours))


def _placements(actor, numbers: list[str]) -> dict[str, list[_Placed]]:
    """ID number → the person's placements in the actor's area, with the person's name."""
    placed: dict[str, list[_Placed]] = {}
    queryset = scope_queryset(
        actor, Placement.objects.filter(person__id_number__in=numbers)
    ).order_by("start_date")
    for pk, number, name, start, end, region_code in queryset.values_list(
        "pk", "person__id_number", "person__name", "start_date", "end_date", "region_code"
    ):
        placed.setdefault(number, []).append(_Placed(pk, name, start, end, region_code))
    return placed


def _placed_anywhere(numbers: list[str]) -> set[str]:
    """Those of ``numbers`` that are on a post anywhere in the registry: only to say that a row
    belongs to another area, never what it holds (the ID number is unique everywhere)."""
    if not numbers:
        return set()
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT DISTINCT p.id_number FROM people_person p "
            "JOIN people_placement pl ON pl.person_id = p.id WHERE p.id_number = ANY(%s)",
            [numbers],
        )
        return {number for (number,) in cursor.fetchall()}


def _months(actor, placement_ids: list[int], months: list[dt.date]) -> dict[tuple, _Month]:
    """(placement id, month) → its attendance row and the state of its sheet."""
    queryset = scope_queryset(
        actor, AttendanceMonth.objects.filter(placement_id__in=placement_ids, month__in=months)
    )
    return {
        (placement, month): _Month(pk, sheet, state, hourly, planned)
        for pk, placement, month, sheet, state, hourly, planned in queryset.values_list(
            "pk", "placement_id", "month", "sheet_id", "sheet__state", "hourly", "planned"
        )
    }


# --- the commit ------------------------------------------------------------------------------

#: Every changed row of the import in one statement: its days' marks and hours as JSON arrays.
WRITE_SQL = """
UPDATE attendance_attendancemonth m SET marks = v.marks, hours = v.hours, updated_at = now()
FROM jsonb_to_recordset(%s::jsonb) AS v(id bigint, marks int[], hours numeric[])
WHERE m.id = v.id
"""


@without_gc
def clockin_import_commit(
    *, actor, data: bytes, progress=None, file_name: str = ""
) -> ClockInResult:
    """Check the file again and write its good days, all in one transaction: the sheets
    concerned are locked (a submit or a grid save waits), each changed row is written in one
    statement with one audit entry naming its days, and one entry records the import. Days
    already so are left alone: the same file twice changes nothing the second time."""
    result = clockin_import_check(actor=actor, data=data, progress=progress)
    with transaction.atomic():
        result.changed = _write(actor, result.cells, file_name)
        audit_record(
            actor=actor,
            action=AuditAction.IMPORT,
            object_type="attendance.attendancemonth",
            region_code=user_region_code(actor),
            object_repr=file_name[:200],
            note=_(
                "Attendance imported: %(days)s days read, %(n)s people's months changed, "
                "%(bad)s rows left out."
            )
            % {"days": len(result.cells), "n": result.changed, "bad": len(result.error_rows)},
        )
    return result


def _write(actor, cells: dict[tuple[int, int], tuple[int, Decimal | None]], file_name: str) -> int:
    """Write ``cells`` under the lock of their sheets; the number of rows changed."""
    row_ids = sorted({row_id for row_id, _index in cells})
    if not row_ids:
        return 0
    months = scope_queryset(actor, AttendanceMonth.objects.filter(pk__in=row_ids))
    sheet_ids = set(months.values_list("sheet_id", flat=True))
    # Locked in id order, as every save locks its sheet first: a submit or a close of one of
    # these months waits for the import, or the import sees it and writes nothing.
    sheets = list(
        scope_queryset(actor, AttendanceSheet.objects.select_for_update())
        .filter(pk__in=sheet_ids)
        .order_by("pk")
    )
    closed = [s for s in sheets if s.state != SheetState.OPEN]
    if closed or len(sheets) != len(sheet_ids):
        raise DomainError(
            _(
                "A month of this file was submitted or closed while it was imported; nothing was "
                "imported. Check the file again."
            )
        )
    rows = months.select_related("placement__person")
    marks = Marks(user_region_code(actor)[:6])
    note = _("attendance imported from %(file)s") % {"file": file_name[:100]}
    by_row: dict[int, list[tuple[int, int, Decimal | None]]] = {}
    for (row_id, index), (mark, hours) in cells.items():
        by_row.setdefault(row_id, []).append((index, mark, hours))
    values, changes = [], []
    for row in rows:
        days = {}
        for index, mark, hours in sorted(by_row[row.pk]):
            old_hours = row.hours[index] if row.hourly else None
            new_hours = hours if row.hourly else None
            if (row.marks[index], old_hours) == (mark, new_hours):
                continue
            day = row.month + dt.timedelta(days=index)
            days[day.isoformat()] = [
                marks.text(row.marks[index], old_hours),
                marks.text(mark, new_hours),
            ]
            row.marks[index] = mark
            if row.hourly:
                row.hours[index] = new_hours
        if not days:
            continue
        values.append(
            {
                "id": row.pk,
                "marks": row.marks,
                "hours": [None if h is None else str(h) for h in row.hours] if row.hourly else None,
            }
        )
        changes.append(
            Change(
                action=AuditAction.UPDATE,
                instance=row,
                object_repr=f"{row.placement.person.name} {row.month:%Y-%m}",
                changes=days,
                note=note,
            )
        )
    if values:
        with connection.cursor() as cursor:
            cursor.execute(WRITE_SQL, [json.dumps(values)])
        audit_record_many(actor=actor, changes=changes)
    return len(values)


@register_job(CHECK)
def run_import_check(job: Job, progress) -> dict:
    return clockin_import_check(
        actor=job.created_by, data=bytes(job.payload), progress=progress
    ).as_dict()


@register_job(COMMIT)
def run_import_commit(job: Job, progress) -> dict:
    result, _check = import_commit_once(job, clockin_import_commit, progress=progress)
    return result.as_dict()
