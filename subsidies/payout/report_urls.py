"""The payout reports' pages (``subsidies.payout.report_views``)."""

from django.urls import path

from subsidies.payout import report_views

urlpatterns = [
    path("month/", report_views.MonthReportView.as_view(), name="payout-report-month"),
    path("year/", report_views.YearReportView.as_view(), name="payout-report-year"),
]
