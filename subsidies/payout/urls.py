"""The payout's pages (``subsidies.payout.views``). The bank's payment file and return have URL
modules of their own."""

from django.urls import path

from subsidies.payout import views

urlpatterns = [
    path("payout/", views.BatchListView.as_view(), name="payout-list"),
    path("payout/<int:pk>/", views.BatchView.as_view(), name="payout-batch"),
    path("payout/grade-rules/", views.GradeRulesView.as_view(), name="payout-grade-rules"),
]
