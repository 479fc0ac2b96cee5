"""Checking a clock-in file (docs/policy.md §7): every row read (``formats``) is checked against
the registry and the months, and every bad row is reported with its reason; ``cells`` holds what
a commit writes. Nothing is written but the months concerned, prepared first (as 更新名单 does)."""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass

from django.db import connection
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.errors import CellError, DomainError
from gongyi.importing import _text, merged_cell_errors, without_gc
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset, user_region_code
from people.models import Placement
from subsidies.attendance import planning
from subsidies.attendance.clockin.formats import (
    _find_header,
    _punch_hours,
    _read_line,
    file_rows,
)
from subsidies.attendance.clockin.shared import ClockInResult, Line
from subsidies.attendance.enums import PRESENT, SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.policy import MAX_HOURS_PER_DAY
from subsidies.attendance.roles import RECORD_ATTENDANCE
from subsidies.attendance.services import PRESENT_TOKENS, Marks, leave_held, leave_refusal
from subsidies.attendance.workdays import month_days

#: Months one file may cover: each is prepared (``planning.month_prepare``) before the check.
MAX_MONTHS = 12


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


def _plain(name: str) -> str:
    return re.sub(r"\s", "", name)


def _check_days(actor, lines: list[Line], sheet_format: bool, today, result, errors, bad) -> None:
    """Check each person's day against the registry and the months: the person in the area,
    the name, the placement on that day, the month open, a planned working day, not to come,
    once in the file, not held by an approved leave; fill ``result.cells`` with the good days.
    A day is imported whole or not at all: a bad row leaves out the other rows of its day."""
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
    good: list[tuple[list[Line], str, tuple]] = []
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
            good.append((group, person, cell))
    _refuse_leave_days(good, rows, months, result, bad)


def _refuse_leave_days(good: list, rows: dict[tuple, _Month], months, result, bad) -> None:
    """Put the ``good`` days (their lines, the person's name, the cell) into ``result.cells``,
    but for a day an approved leave holds, which keeps the leave's mark (docs/policy.md §7):
    anything else is a bad row, to be imported after 销假. One query, for the whole file."""
    if not good:
        return
    placement_of = {month.pk: placement for (placement, _month), month in rows.items()}
    held = leave_held(
        placement_ids={placement_of[row_id] for _g, _p, ((row_id, _i), _c) in good},
        first=months[0],
        last=month_days(months[-1])[-1],
    )
    for group, person, ((row_id, index), (mark, hours)) in good:
        day = group[0].day
        leave = held.get((placement_of[row_id], day))
        if leave is not None and (mark, hours) != (leave.kind_id, None):
            for line in group:
                bad(line.number, "date", leave_refusal(person, day, leave))
        else:
            result.cells[(row_id, index)] = (mark, hours)


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
