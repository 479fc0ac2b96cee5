"""The payout's pages (``subsidies.payout.views``). The bank's payment file and return have URL
modules of their own."""

from django.urls import path

from subsidies.payout import insurance_views, views

urlpatterns = [
    path("payout/", views.BatchListView.as_view(), name="payout-list"),
    path("payout/<int:pk>/", views.BatchView.as_view(), name="payout-batch"),
    path("payout/grade-rules/", views.GradeRulesView.as_view(), name="payout-grade-rules"),
    path(
        "payout/flexible-insurance/",
        insurance_views.FlexibleInsuranceView.as_view(),
        name="payout-flexible-insurance",
    ),
    path(
        "payout/<int:pk>/insured.xlsx",
        insurance_views.InsuredListView.as_view(),
        name="payout-insured-lists",
    ),
    path(
        "payout/<int:pk>/premium/",
        insurance_views.PremiumPaidView.as_view(),
        name="payout-premium-paid",
    ),
]
