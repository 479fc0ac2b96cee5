from django.urls import path

from people import apis, import_urls, views

urlpatterns = [
    path("people/", views.PersonListView.as_view(), name="person-list"),
    path("people/new/", views.PersonFormView.as_view(), name="person-create"),
    path("people/groups/", views.TargetGroupListView.as_view(), name="target-group-list"),
    path("people/ranking/", views.RankingView.as_view(), name="person-ranking"),
    *import_urls.urlpatterns,
    path("people/<int:pk>/", views.PersonDetailView.as_view(), name="person-detail"),
    path("people/<int:pk>/edit/", views.PersonFormView.as_view(), name="person-edit"),
    path("people/<int:pk>/groups/", views.MembershipAddView.as_view(), name="person-group-add"),
    path(
        "people/<int:pk>/groups/<int:membership>/remove/",
        views.MembershipRemoveView.as_view(),
        name="person-group-remove",
    ),
    path(
        "people/<int:pk>/declarations/",
        views.DeclarationAddView.as_view(),
        name="person-declaration-add",
    ),
    path(
        "people/<int:pk>/declarations/<int:declaration>/withdraw/",
        views.DeclarationWithdrawView.as_view(),
        name="person-declaration-withdraw",
    ),
    path(
        "people/<int:pk>/documents/",
        views.DocumentUploadView.as_view(),
        name="person-document-add",
    ),
    path(
        "people/documents/<int:pk>/",
        views.DocumentDownloadView.as_view(),
        name="person-document",
    ),
]

api_routes = [
    ("people", apis.PersonViewSet, "person"),
]
