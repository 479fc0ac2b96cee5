from django.urls import path

from subsidies.attendance import assessment_views, clockin_views, leave_views, views

urlpatterns = [
    path("attendance/", views.AttendanceHomeView.as_view(), name="attendance-home"),
    path("attendance/sheets/<int:pk>/", views.SheetView.as_view(), name="attendance-sheet"),
    path(
        "attendance/arrangements/",
        views.ArrangementsView.as_view(),
        name="attendance-arrangements",
    ),
    path("attendance/sheets/<int:pk>/day/", views.DayView.as_view(), name="attendance-day"),
    path(
        "attendance/sheets/<int:pk>/notice/", views.NoticeView.as_view(), name="attendance-notice"
    ),
    path(
        "attendance/sheets/<int:pk>/notice.pdf",
        views.NoticePdfView.as_view(),
        name="attendance-notice-pdf",
    ),
    path("attendance/leave/", leave_views.LeaveListView.as_view(), name="attendance-leave-list"),
    path("attendance/leave/new/", leave_views.LeaveNewView.as_view(), name="attendance-leave-new"),
    path(
        "attendance/leave/<int:pk>/",
        leave_views.LeaveTransitionView.as_view(),
        name="attendance-leave-transition",
    ),
    path(
        "attendance/sheets/<int:pk>/assessment/",
        assessment_views.AssessmentView.as_view(),
        name="attendance-assessment",
    ),
    path("attendance/import/", clockin_views.ClockInImportView.as_view(), name="attendance-import"),
    path(
        "attendance/import/template/",
        clockin_views.ClockInImportTemplateView.as_view(),
        name="attendance-import-template",
    ),
    path(
        "attendance/import/<int:pk>/",
        clockin_views.ClockInImportJobView.as_view(),
        name="attendance-import-job",
    ),
    path(
        "attendance/import/<int:pk>/commit/",
        clockin_views.ClockInImportCommitView.as_view(),
        name="attendance-import-commit",
    ),
]
