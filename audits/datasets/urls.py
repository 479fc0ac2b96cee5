"""The external datasets' pages (``audits.datasets.views``)."""

from django.urls import path

from audits.datasets import finding_views, views

urlpatterns = [
    path("datasets/", views.DatasetListView.as_view(), name="dataset-list"),
    path("datasets/match/", views.DatasetMatchView.as_view(), name="dataset-match"),
    path("datasets/<int:pk>/", views.DatasetVersionView.as_view(), name="dataset-version"),
    path(
        "datasets/template/<str:kind>/",
        views.DatasetTemplateView.as_view(),
        name="dataset-template",
    ),
    path("findings/", finding_views.FindingListView.as_view(), name="finding-list"),
    path("findings/<int:pk>/", finding_views.FindingDetailView.as_view(), name="finding-detail"),
]
