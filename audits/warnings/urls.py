"""Warnings' pages (``audits.warnings.views``)."""

from django.urls import path

from audits.warnings import views

urlpatterns = [
    path("warnings/", views.WarningListView.as_view(), name="warning-list"),
    path(
        "warnings/<int:pk>/notice/",
        views.WarningNoticeView.as_view(),
        name="warning-notice",
    ),
]
