"""The roster import's pages (``people.import_views``)."""

from django.urls import path

from people import import_views

urlpatterns = [
    path("people/import/", import_views.PersonImportView.as_view(), name="person-import"),
    path(
        "people/import/template/",
        import_views.PersonImportTemplateView.as_view(),
        name="person-import-template",
    ),
    path(
        "people/import/<int:pk>/",
        import_views.PersonImportJobView.as_view(),
        name="person-import-job",
    ),
    path(
        "people/import/<int:pk>/commit/",
        import_views.PersonImportCommitView.as_view(),
        name="person-import-commit",
    ),
]
