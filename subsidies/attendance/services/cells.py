"""Marking days (docs/policy.md §7): what a typed cell means, the month grid, all present and the
day's marking. Marks are written only while the unit's month is open, only on the placement's
working days (the planned hours say which), and never on a day still to come; a day an approved
leave holds keeps the leave's mark until the leave is cancelled (销假, ``leave.py``). Every save
locks the sheet row first: a save and the township's closing of the same month cannot interleave,
and the closing sees every mark that was saved.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import connection, transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.policy import policy_value
from gongyi.roles import require_role
from gongyi.scoping import scope_queryset
from subsidies.attendance.enums import PRESENT, LeaveState, SheetState
from subsidies.attendance.models import (
    AbsenceKind,
    AttendanceMonth,
    AttendanceSheet,
    LeaveRequest,
)
from subsidies.attendance.policy import MAX_HOURS_PER_DAY
from subsidies.attendance.roles import RECORD_ATTENDANCE

#: What a user may type for "present" in a cell.
PRESENT_TOKENS = frozenset({"√", "✓", "v", "V", "1", "/"})
PRESENT_TEXT = "√"


# --- reading and writing cells ---------------------------------------------------------------


@dataclass(frozen=True)
class Cell:
    mark: int | None
    hours: Decimal | None = None


class Marks:
    """The absence kinds of a county by what may be typed for them, and how a cell reads."""

    def __init__(self, county_code: str):
        kinds = AbsenceKind.objects.filter(
            Q(county__isnull=True) | Q(county__code=county_code), active=True
        )
        self.kinds = {k.pk: k for k in kinds}
        self.by_token: dict[str, AbsenceKind] = {}
        for kind in self.kinds.values():
            for token in (kind.symbol, kind.shortcut.lower(), kind.shortcut.upper(), kind.name):
                self.by_token.setdefault(token, kind)

    def parse(self, text: str, *, hourly: bool, planned: Decimal) -> Cell:
        """The cell a typed text means; ``DomainError`` for anything else."""
        text = (text or "").strip()
        if not text:
            return Cell(None)
        if hourly:
            # On an hourly row a number is the hours worked, "1" included.
            try:
                hours = Decimal(text)
            except InvalidOperation:
                hours = None
            if hours is not None and hours.is_finite():
                if hours <= 0:
                    raise DomainError(_("Hours worked must be more than 0."))
                if hours != hours.quantize(Decimal("0.1")):
                    raise DomainError(_("Hours are recorded to one decimal place."))
                return Cell(PRESENT, hours)
        if text in PRESENT_TOKENS:
            return Cell(PRESENT, planned if hourly else None)
        kind = self.by_token.get(text)
        if kind is not None:
            return Cell(kind.pk)
        raise DomainError(
            _("“%(text)s” is not a mark: type √ for present, %(kinds)s%(hours)s.")
            % {
                "text": text[:10],
                "kinds": "、".join(
                    f"{k.symbol}（{k.shortcut}）{k.name}" for k in self.kinds.values()
                ),
                "hours": _(", or the hours worked") if hourly else "",
            }
        )

    def text(self, mark: int | None, hours: Decimal | None = None) -> str:
        """How a stored mark reads in a cell and in the history."""
        if mark is None:
            return ""
        if mark == PRESENT:
            return f"{hours.normalize():f}" if hours is not None else PRESENT_TEXT
        kind = self.kinds.get(mark)
        return kind.symbol if kind else "?"


def _lock_sheet(actor, sheet_id: int) -> AttendanceSheet:
    sheet = (
        scope_queryset(actor, AttendanceSheet.objects.select_for_update())
        .filter(pk=sheet_id)
        .first()
    )
    if sheet is None:
        raise DomainError(_("Not found, or outside your area."))
    return sheet


def _require_open(sheet: AttendanceSheet) -> None:
    if sheet.state != SheetState.OPEN:
        raise DomainError(
            _("This month is %(state)s: its days can no longer be changed here.")
            % {"state": sheet.get_state_display()}
        )


def _person_day(row: AttendanceMonth, day: dt.date) -> str:
    return _("%(name)s, %(day)s") % {"name": row.placement.person.name, "day": f"{day:%m-%d}"}


def _check_day(row: AttendanceMonth, index: int, cell: Cell, *, today: dt.date, max_hours: int):
    """Refuse a mark on a day that is not the placement's working day, or still to come, or with
    more hours than a day may have."""
    day = row.month + dt.timedelta(days=index)
    if cell.mark is not None and row.planned[index] <= 0:
        raise DomainError(
            _("%(who)s: not a working day of this placement (a rest day, or outside its dates).")
            % {"who": _person_day(row, day)}
        )
    if cell.mark is not None and day > today:
        raise DomainError(
            _("%(who)s: a day still to come cannot be marked.") % {"who": _person_day(row, day)}
        )
    if cell.hours is not None and cell.hours > max_hours:
        raise DomainError(
            _("%(who)s: %(hours)s hours is more than the %(max)s a day may record.")
            % {"who": _person_day(row, day), "hours": cell.hours, "max": max_hours}
        )


def leave_held(
    *, placement_ids, first: dt.date, last: dt.date
) -> dict[tuple[int, dt.date], LeaveRequest]:
    """(placement id, day) → the approved leave that holds the day, for the days from ``first``
    to ``last``: a leave holds its days from its first to the day before 销假, or to its end
    (``LeaveRequest.last_day``, as ``planning.LEAVE_SQL`` reads it). One query."""
    leaves = LeaveRequest.objects.filter(
        placement_id__in=placement_ids,
        state=LeaveState.APPROVED,
        starts_on__lte=last,
        ends_on__gte=first,
    ).select_related("kind")
    held = {}
    for leave in leaves:
        day, end = max(leave.starts_on, first), min(leave.last_day, last)
        while day <= end:
            held[(leave.placement_id, day)] = leave
            day += dt.timedelta(days=1)
    return held


def leave_refusal(name: str, day: dt.date, leave: LeaveRequest) -> str:
    """Why a day an approved leave holds is not marked otherwise (docs/policy.md §7)."""
    return _(
        "%(name)s is on approved leave (%(kind)s) on %(day)s: to mark that day otherwise, cancel "
        "the leave first (销假)."
    ) % {"name": name, "day": day.isoformat(), "kind": leave.kind.name}


def grid_save(
    *, actor, sheet_id: int, cells: dict[tuple[int, int], str], today: dt.date | None = None
) -> int:
    """Write the typed ``cells`` ((row id, day index from 0) → text) of an open month: all of them
    or, on any bad cell, none, with the cell's reason. Unchanged cells are skipped; each changed
    row is one audit entry naming its days. A day an approved leave holds is refused anything but
    the leave's mark: the leave is cancelled first (销假). Returns the number of changed rows.
    Constant queries for any number of rows."""
    require_role(actor, RECORD_ATTENDANCE)
    today = today or timezone.localdate()
    with transaction.atomic():
        sheet = _lock_sheet(actor, sheet_id)
        _require_open(sheet)
        rows = {
            r.pk: r
            for r in AttendanceMonth.objects.filter(
                sheet=sheet, pk__in={row_id for row_id, _day in cells}
            ).select_related("placement__person")
        }
        marks = Marks(sheet.region_code[:6])
        max_hours = policy_value(sheet.region_code[:6], MAX_HOURS_PER_DAY, sheet.month)
        changes: dict[int, dict[str, list[str]]] = {}
        # A day an approved leave holds carries the leave's kind (its approval writes it, a month
        # prepared later takes it, and nothing else writes over it): only a change of a day that
        # holds a kind can be a change of leave, and only then are the leaves read.
        kind_days: list[tuple[AttendanceMonth, dt.date, Cell]] = []
        for (row_id, index), text in sorted(cells.items()):
            row = rows.get(row_id)
            if row is None or not 0 <= index < len(row.planned):
                raise DomainError(_("The sheet has changed since it was opened: reload it."))
            try:
                cell = marks.parse(text, hourly=row.hourly, planned=row.planned[index])
            except DomainError as error:
                day = row.month + dt.timedelta(days=index)
                raise DomainError(f"{_person_day(row, day)}：{error.message}") from None
            old_hours = row.hours[index] if row.hourly else None
            if (cell.mark, cell.hours) == (row.marks[index], old_hours):
                continue
            _check_day(row, index, cell, today=today, max_hours=max_hours)
            day = row.month + dt.timedelta(days=index)
            if row.marks[index] not in (None, PRESENT):
                kind_days.append((row, day, cell))
            changes.setdefault(row_id, {})[day.isoformat()] = [
                marks.text(row.marks[index], old_hours),
                marks.text(cell.mark, cell.hours),
            ]
            row.marks[index] = cell.mark
            if row.hourly:
                row.hours[index] = cell.hours
        _refuse_leave_days(kind_days, sheet.month)
        changed = [rows[row_id] for row_id in changes]
        if changed:
            AttendanceMonth.objects.bulk_update(changed, ["marks", "hours", "updated_at"])
            audit_record_many(
                actor=actor,
                changes=[
                    Change(
                        action=AuditAction.UPDATE,
                        instance=rows[row_id],
                        object_repr=f"{rows[row_id].placement.person.name} {sheet.month:%Y-%m}",
                        changes=days,
                        note=_("attendance marked"),
                    )
                    for row_id, days in changes.items()
                ],
            )
        return len(changed)


def _refuse_leave_days(days: list[tuple[AttendanceMonth, dt.date, Cell]], month: dt.date) -> None:
    """Refuse the first of ``days`` (row, day, the new cell) that an approved leave holds, unless
    the cell is the leave's own mark."""
    if not days:
        return
    held = leave_held(
        placement_ids={row.placement_id for row, _day, _cell in days},
        first=month,
        last=month + dt.timedelta(days=len(days[0][0].planned) - 1),
    )
    for row, day, cell in days:
        leave = held.get((row.placement_id, day))
        if leave is not None and (cell.mark, cell.hours) != (leave.kind_id, None):
            raise DomainError(leave_refusal(row.placement.person.name, day, leave))


def sheet_fill_present(*, actor, sheet_id: int, today: dt.date | None = None) -> int:
    """全勤: mark present every working day of the open month, up to ``today``, that is not marked
    yet (hourly posts: the planned hours). Marks already made stay. One statement for the sheet,
    one audit entry. Returns the number of days marked."""
    require_role(actor, RECORD_ATTENDANCE)
    today = today or timezone.localdate()
    with transaction.atomic():
        sheet = _lock_sheet(actor, sheet_id)
        _require_open(sheet)
        upto = (today - sheet.month).days + 1  # days of the month up to today, 1-based
        filled = fill_present_rows([sheet.pk], upto=upto)
        if filled:
            audit_record_many(
                actor=actor,
                changes=[
                    Change(
                        action=AuditAction.UPDATE,
                        instance=sheet,
                        changes={"marks": [None, _("all present up to %(day)s") % {"day": today}]},
                        note=_("%(n)s working days marked present") % {"n": filled},
                    )
                ],
            )
        return filled


# 全勤 for many rows at once, in one statement of two disjoint parts. Each distinct plan (a
# post's month, or a share of it) is read once: the marks and hours "all present" gives it, its
# days up to day ``upto`` and its rest days among them. A row with nothing marked up to ``upto``
# (nearly every row, the first time) takes its plan's marks and hours; a row with some days
# marked already is filled day by day. Rest days are the NULL marks whose planned hours are 0, so
# a row's unmarked working days are its NULL marks less its plan's rest days; rows with none are
# not rewritten.
FILL_PRESENT_SQL = """
WITH plans AS MATERIALIZED (
    SELECT t.planned,
           ARRAY(SELECT CASE WHEN x.p > 0 THEN 0 END
                 FROM unnest(t.planned[1:%(upto)s]) WITH ORDINALITY AS x(p, i)
                 ORDER BY x.i) AS present,
           ARRAY(SELECT nullif(x.p, 0)
                 FROM unnest(t.planned[1:%(upto)s]) WITH ORDINALITY AS x(p, i)
                 ORDER BY x.i) AS worked,
           cardinality(t.planned[1:%(upto)s]) AS days,
           (SELECT count(*) FROM unnest(t.planned[1:%(upto)s]) AS x(p) WHERE x.p = 0) AS rest
    FROM (SELECT DISTINCT planned FROM attendance_attendancemonth
          WHERE sheet_id = ANY(%(sheets)s)) AS t
),
blank AS (
    UPDATE attendance_attendancemonth m SET
        marks = p.present || m.marks[%(upto)s + 1:],
        hours = CASE WHEN m.hourly THEN p.worked || m.hours[%(upto)s + 1:] END,
        updated_at = now()
    FROM plans p
    WHERE m.sheet_id = ANY(%(sheets)s) AND m.planned = p.planned AND p.days > p.rest
      AND cardinality(array_positions(m.marks[1:%(upto)s], NULL)) = p.days
    RETURNING p.days - p.rest AS n
),
partly_rows AS (
    SELECT r.id, cardinality(array_positions(r.marks[1:%(upto)s], NULL)) - p.rest AS n
    FROM attendance_attendancemonth r JOIN plans p ON p.planned = r.planned
    WHERE r.sheet_id = ANY(%(sheets)s)
      AND cardinality(array_positions(r.marks[1:%(upto)s], NULL)) < p.days
      AND cardinality(array_positions(r.marks[1:%(upto)s], NULL)) > p.rest
),
partly AS (
    UPDATE attendance_attendancemonth m SET
        marks = ARRAY(
            SELECT CASE WHEN x.mark IS NULL AND x.planned > 0 AND x.i <= %(upto)s THEN 0
                        ELSE x.mark END
            FROM unnest(m.planned, m.marks) WITH ORDINALITY AS x(planned, mark, i)
            ORDER BY x.i),
        hours = CASE WHEN m.hourly THEN ARRAY(
            SELECT CASE WHEN x.mark IS NULL AND x.planned > 0 AND x.i <= %(upto)s
                        THEN x.planned ELSE x.hours END
            FROM unnest(m.planned, m.marks, m.hours)
                 WITH ORDINALITY AS x(planned, mark, hours, i)
            ORDER BY x.i) END,
        updated_at = now()
    FROM partly_rows t
    WHERE m.id = t.id
    RETURNING t.n
)
SELECT (SELECT coalesce(sum(n), 0) FROM blank) + (SELECT coalesce(sum(n), 0) FROM partly)
"""


def fill_present_rows(sheet_ids: list[int], *, upto: int) -> int:
    """The statement behind 全勤, for any number of sheets of one month (the service locks and
    checks them first): unmarked working days up to day ``upto`` become present."""
    with connection.cursor() as cursor:
        cursor.execute(FILL_PRESENT_SQL, {"sheets": list(sheet_ids), "upto": upto})
        return int(cursor.fetchone()[0] or 0)  # sum() of counts is numeric


def day_mark(
    *, actor, sheet_id: int, day: dt.date, exceptions: dict[int, str], today: dt.date | None = None
) -> int:
    """The day's marking (a phone's list of today's people): everyone planned that day is present
    except the rows in ``exceptions`` (row id → an absence kind's symbol, or hours) and the people
    an approved leave holds that day, whose day stays the leave's (``grid_save`` refuses an
    exception that changes it: 销假 first). Returns the number of changed rows."""
    with transaction.atomic():
        sheet = _lock_sheet(actor, sheet_id)
        if day.replace(day=1) != sheet.month:
            raise DomainError(_("That day is not in this month."))
        index = (day - sheet.month).days
        planned = [
            (pk, placement_id)
            for pk, placement_id, plan in AttendanceMonth.objects.filter(
                sheet=sheet, planned__len__gt=index
            ).values_list("pk", "placement_id", "planned")
            if plan[index] > 0
        ]
        on_leave = leave_held(placement_ids=[p for _pk, p in planned], first=day, last=day)
        cells = {
            (pk, index): exceptions.get(pk, PRESENT_TEXT)
            for pk, placement_id in planned
            if pk in exceptions or (placement_id, day) not in on_leave
        }
        unknown = set(exceptions) - {pk for pk, _index in cells}
        if unknown:
            raise DomainError(_("Someone on the list does not work on that day: reload the page."))
        return grid_save(actor=actor, sheet_id=sheet_id, cells=cells, today=today)
