"""The monthly assessment's API (月度考核, docs/policy.md §7): the points sheet of the caller's
county, a unit's month scored (per person the score, the grade, the comment and the items given)
and saving the scores, through ``assessment.assessment_save``.

As the attendance endpoints (``apis``): every queryset passes ``scope_queryset`` (a month outside
the area is a 404); the role is checked before anything is read (403); saving is one service call,
all the rows or none, and a refusal (points outside an item's range, a deduction without a
comment, a month no longer with its assessor) is a **400** with the reason.
"""

from django.db.models import Prefetch
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import mixins, viewsets
from rest_framework.response import Response

from gongyi.schema import INVALID, NOT_FOUND
from gongyi.scoping import scope_queryset
from subsidies.attendance.apis import AttendanceViewSetMixin
from subsidies.attendance.assessment import Typed, assessment_save
from subsidies.attendance.enums import Grade
from subsidies.attendance.models import (
    AssessmentEntry,
    AssessmentItem,
    AttendanceMonth,
    AttendanceSheet,
)
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE
from subsidies.attendance.serializers import (
    AssessmentItemSerializer,
    AssessmentRowSerializer,
    AssessmentSavedSerializer,
    AssessmentSaveSerializer,
)

SHEET = OpenApiParameter("sheet_pk", int, OpenApiParameter.PATH, description="the month's id")


class AssessmentItemViewSet(AttendanceViewSetMixin, viewsets.ReadOnlyModelViewSet):
    """The points sheet (积分) of the caller's county, the items every county shares included:
    positive points, deductions and awards, each with its default points and the range an
    assessor may give. Items no longer in use are listed with ``active`` false."""

    serializer_class = AssessmentItemSerializer
    base_queryset = AssessmentItem.objects.select_related("county").order_by("ordering", "pk")


def assessment_line(row: AttendanceMonth) -> dict:
    """A person's month as ``AssessmentRowSerializer`` shows it."""
    assessment = getattr(row, "assessment", None)
    return {
        "row": row.pk,
        "name": row.placement.person.name,
        "post": row.placement.post.title,
        "score": assessment.score if assessment else None,
        "grade": assessment.grade if assessment else "",
        "grade_label": Grade(assessment.grade).label if assessment else "",
        "comment": assessment.comment if assessment else "",
        "entries": [
            {
                "item": entry.item_id,
                "item_name": entry.item.name,
                "kind": entry.item.kind,
                "points": entry.points,
            }
            for entry in (assessment.entries.all() if assessment else [])
        ],
    }


@extend_schema(parameters=[SHEET])
class SheetAssessmentViewSet(
    AttendanceViewSetMixin, mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet
):
    """A unit's month scored: one line per person on it, by name, in pages."""

    serializer_class = AssessmentRowSerializer
    base_queryset = AttendanceMonth.objects.all()
    #: The county's ``attendance.assessor`` decides which of them scores; the service checks.
    roles_by_action = {"create": RECORD_ATTENDANCE | CLOSE_MONTHS}

    def sheet(self) -> AttendanceSheet:
        return get_object_or_404(
            scope_queryset(self.request.user, AttendanceSheet.objects.all()),
            pk=self.kwargs["sheet_pk"],
        )

    def get_queryset(self):
        if getattr(self, "swagger_fake_view", False):  # the schema is being generated
            return AttendanceMonth.objects.none()
        return (
            super()
            .get_queryset()
            .filter(sheet=self.sheet())
            .select_related("placement__person", "placement__post", "assessment")
            .prefetch_related(
                Prefetch(
                    "assessment__entries",
                    AssessmentEntry.objects.select_related("item").order_by(
                        "item__ordering", "item_id"
                    ),
                )
            )
            .order_by("placement__person__name", "pk")
        )

    @extend_schema(responses={200: AssessmentRowSerializer(many=True), 404: NOT_FOUND})
    def list(self, request, *args, **kwargs):
        """Per person: the score, the grade (优秀, 合格, 基本合格, 不合格), the comment and the
        items given with their points; null and empty while unscored."""
        page = self.paginate_queryset(self.get_queryset())
        return self.get_paginated_response(
            AssessmentRowSerializer([assessment_line(row) for row in page], many=True).data
        )

    @extend_schema(
        request=AssessmentSaveSerializer,
        responses={200: AssessmentSavedSerializer, 400: INVALID, 404: NOT_FOUND},
    )
    def create(self, request, *args, **kwargs):
        """Score people of the month: ``{"rows": [{"row", "points": {"<item id>": "2"},
        "comment"}, …]}``; a person's items become the ones given (an item left out or empty is
        not given). All the rows or none: the first bad one (points outside the item's range, a
        deduction without a comment, a month no longer with its assessor) is a 400 with its
        reason, naming the person. ``changed``: the people whose scores changed."""
        sheet = self.sheet()
        serializer = AssessmentSaveSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        rows = {
            typed["row"]: Typed(points=typed.get("points", {}), comment=typed["comment"])
            for typed in serializer.validated_data["rows"]
        }
        changed = assessment_save(actor=request.user, sheet_id=sheet.pk, rows=rows)
        return Response({"changed": changed})
