"""Attendance's models, one module per part (docs/policy.md §7): ``core`` (arrangements, kinds of
absence, sheets, months, corrections), ``leave`` (请销假), ``assessment`` (the monthly points
sheet and scores), and the modules each later part adds."""

from subsidies.attendance.models.assessment import Assessment, AssessmentEntry, AssessmentItem
from subsidies.attendance.models.core import (
    HOURS,
    AbsenceKind,
    AttendanceAdjustment,
    AttendanceMonth,
    AttendanceSheet,
    WorkArrangement,
)
from subsidies.attendance.models.leave import LeaveRequest

__all__ = [
    "HOURS",
    "AbsenceKind",
    "Assessment",
    "AssessmentEntry",
    "AssessmentItem",
    "AttendanceAdjustment",
    "AttendanceMonth",
    "AttendanceSheet",
    "LeaveRequest",
    "WorkArrangement",
]
