"""Reads of the monthly assessment (docs/policy.md §7): a unit's scoring sheet, one line per person
with the points given per item, the comment, the score and the grade. Every queryset passes
``scope_queryset``; a fixed number of queries for any number of people."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from gongyi.scoping import scope_queryset
from subsidies.attendance.assessment import Scale, points_text, scale_for, sheet_items
from subsidies.attendance.enums import AbsenceCategory, Grade
from subsidies.attendance.models import AssessmentItem, AttendanceMonth, AttendanceSheet
from subsidies.attendance.selectors import absence_kinds


@dataclass
class ScoreLine:
    row: AttendanceMonth
    name: str
    post: str
    #: One per item of the sheet: the input's name, the points given (as typed) and the item.
    cells: list[dict] = field(default_factory=list)
    comment: str = ""
    score: Decimal | None = None
    grade: str = ""
    #: Days marked absent (旷工 and the county's other kinds of absence) so far.
    absent_days: int = 0

    @property
    def grade_label(self) -> str:
        return Grade(self.grade).label if self.grade else ""


def score_sheet(user, sheet: AttendanceSheet) -> dict:
    """The scoring sheet of ``sheet``: its items, its scale and one ``ScoreLine`` per person,
    with the days they were absent beside it."""
    items: list[AssessmentItem] = sheet_items(sheet)
    scale: Scale = scale_for(sheet.region_code, sheet.month)
    absences = {
        k.pk for k in absence_kinds(sheet.region_code[:6]) if k.category == AbsenceCategory.ABSENCE
    }
    rows = (
        scope_queryset(user, AttendanceMonth.objects.filter(sheet=sheet))
        .select_related("placement__person", "placement__post", "assessment")
        .prefetch_related("assessment__entries")
        .order_by("placement__person__name", "pk")
    )
    lines = []
    for row in rows:
        assessment = getattr(row, "assessment", None)
        given = {e.item_id: e.points for e in assessment.entries.all()} if assessment else {}
        lines.append(
            ScoreLine(
                row,
                row.placement.person.name,
                row.placement.post.title,
                cells=[
                    {"name": f"p-{row.pk}-{item.pk}", "text": points_text(given.get(item.pk))}
                    for item in items
                ],
                comment=assessment.comment if assessment else "",
                score=assessment.score if assessment else None,
                grade=assessment.grade if assessment else "",
                absent_days=sum(1 for mark in row.marks if mark in absences),
            )
        )
    return {"items": items, "scale": scale, "lines": lines}
