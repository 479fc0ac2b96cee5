from django.urls import path

from subsidies.attendance import assessment_views, views

urlpatterns = [
    path("attendance/", views.AttendanceHomeView.as_view(), name="attendance-home"),
    path("attendance/sheets/<int:pk>/", views.SheetView.as_view(), name="attendance-sheet"),
    path("attendance/sheets/<int:pk>/day/", views.DayView.as_view(), name="attendance-day"),
    path(
        "attendance/sheets/<int:pk>/notice/", views.NoticeView.as_view(), name="attendance-notice"
    ),
    path(
        "attendance/sheets/<int:pk>/notice.pdf",
        views.NoticePdfView.as_view(),
        name="attendance-notice-pdf",
    ),
    path(
        "attendance/sheets/<int:pk>/assessment/",
        assessment_views.AssessmentView.as_view(),
        name="attendance-assessment",
    ),
]
