"""Writing a checked clock-in file (docs/policy.md §7): the good days, all or nothing, under the
lock of their sheets, in one statement, with one audit entry per changed row and one for the
import."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal

from django.db import connection, transaction
from django.utils.translation import gettext as _

from gongyi.audit import Change, audit_record, audit_record_many
from gongyi.enums import AuditAction
from gongyi.errors import DomainError
from gongyi.importing import without_gc
from gongyi.scoping import scope_queryset, user_region_code
from subsidies.attendance.clockin.check import clockin_import_check
from subsidies.attendance.clockin.shared import ClockInResult
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceMonth, AttendanceSheet
from subsidies.attendance.services import Marks, leave_held, leave_refusal
from subsidies.attendance.workdays import month_days

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
    already so are left alone: the same file twice changes nothing the second time. A day an
    approved leave came to hold since the check refuses the whole import."""
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
    rows = list(months.select_related("placement__person"))
    # Read under the sheets' lock, as an approval writes its leave: a leave approved while the
    # file was checked is not written over either.
    held = leave_held(
        placement_ids={row.placement_id for row in rows},
        first=min(row.month for row in rows),
        last=month_days(max(row.month for row in rows))[-1],
    )
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
            leave = held.get((row.placement_id, day))
            if leave is not None and (mark, new_hours) != (leave.kind_id, None):
                raise DomainError(leave_refusal(row.placement.person.name, day, leave))
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
