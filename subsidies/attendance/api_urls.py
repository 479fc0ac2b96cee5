"""Attendance's API routes: (prefix, viewset, basename), registered by ``gongyi.urls``. Each part
(leave, assessments…) adds its own lines here; basenames start with ``attendance-``."""

from subsidies.attendance import apis, assessment_apis

api_routes: list = [
    ("attendance/sheets", apis.SheetViewSet, "attendance-sheet"),
    ("attendance/leave", apis.LeaveViewSet, "attendance-leave"),
    ("attendance/adjustments", apis.AdjustmentViewSet, "attendance-adjustment"),
    ("attendance/absence-kinds", apis.AbsenceKindViewSet, "attendance-absence-kind"),
    ("attendance/work-arrangements", apis.WorkArrangementViewSet, "attendance-work-arrangement"),
    (
        "attendance/assessment-items",
        assessment_apis.AssessmentItemViewSet,
        "attendance-assessment-item",
    ),
    (
        r"attendance/sheets/(?P<sheet_pk>[0-9]+)/assessments",
        assessment_apis.SheetAssessmentViewSet,
        "attendance-assessment",
    ),
]
