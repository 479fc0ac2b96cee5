"""The monthly assessment's page (月度考核, docs/policy.md §7): a unit's month scored on one sheet,
one line per person, the points sheet's items as columns. The view checks the role, reads the
month through ``get_scoped_object_or_404`` (outside the area: 404), calls
``assessment.assessment_save`` and redirects with its message; a refused save shows the sheet
again as typed."""

from __future__ import annotations

import re

from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views import View

from gongyi.errors import DomainError
from gongyi.roles import RoleRequiredMixin, has_role
from gongyi.scoping import get_scoped_object_or_404
from subsidies.attendance import assessment, assessment_selectors, selectors
from subsidies.attendance.models import AttendanceSheet
from subsidies.attendance.roles import VIEW_ATTENDANCE

POINTS = re.compile(r"^p-(\d+)-(\d+)$")
ROW = re.compile(r"^r-(\d+)$")


def typed_rows(data) -> dict[int, assessment.Typed]:
    """The scoring sheet as posted: every person on it (``r-<row>``), their points per item
    (``p-<row>-<item>``) and comment (``c-<row>``)."""
    points: dict[int, dict[int, str]] = {}
    for name in data:
        match = ROW.match(name)
        if match:
            points.setdefault(int(match[1]), {})
    for name, value in data.items():
        match = POINTS.match(name)
        if match and int(match[1]) in points:
            points[int(match[1])][int(match[2])] = value
    return {row: assessment.Typed(given, data.get(f"c-{row}", "")) for row, given in points.items()}


class AssessmentView(RoleRequiredMixin, View):
    """A unit's month scored: per person the points of each item, a comment (required for a
    deduction), the score and the grade; editable while the month is with its assessor."""

    allowed_roles = VIEW_ATTENDANCE

    def get(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        return self.page(request, sheet)

    def page(self, request, sheet, *, typed=None, status=200):
        context = assessment_selectors.score_sheet(request.user, sheet)
        scale = context["scale"]
        if typed:
            for line in context["lines"]:
                for cell in line.cells:
                    cell["text"] = typed.get(cell["name"], cell["text"])
                line.comment = typed.get(f"c-{line.row.pk}", line.comment)
        return render(
            request,
            "attendance/assessment/sheet.html",
            {
                "sheet": sheet,
                "unit": selectors.unit_name(sheet.region_code),
                **context,
                "editable": sheet.state == scale.stage and has_role(request.user, scale.roles),
                "unscored": sum(1 for line in context["lines"] if line.score is None),
            },
            status=status,
        )

    def post(self, request, pk):
        sheet = get_scoped_object_or_404(request.user, AttendanceSheet.objects, pk=pk)
        try:
            changed = assessment.assessment_save(
                actor=request.user, sheet_id=sheet.pk, rows=typed_rows(request.POST)
            )
        except DomainError as error:
            messages.error(request, error.message)
            typed = {k: v for k, v in request.POST.items() if POINTS.match(k) or k[:2] == "c-"}
            return self.page(request, sheet, typed=typed, status=400)
        messages.success(request, _("Scores saved: %(n)s people's changed.") % {"n": changed})
        return redirect("attendance-assessment", pk=sheet.pk)
