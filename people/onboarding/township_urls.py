"""URLs of the township's pages of the workflow (``views``)."""

from django.urls import path

from people.onboarding import views as v

urlpatterns = [
    path("onboarding/rounds/", v.RoundListView.as_view(), name="round-list"),
    path("onboarding/rounds/new/", v.RoundFormView.as_view(), name="round-create"),
    path("onboarding/rounds/<int:pk>/", v.RoundDetailView.as_view(), name="round-detail"),
    path("onboarding/rounds/<int:pk>/edit/", v.RoundFormView.as_view(), name="round-edit"),
    path(
        "onboarding/rounds/<int:pk>/applications/",
        v.RoundApplicationsView.as_view(),
        name="round-applications",
    ),
    path("onboarding/rounds/<int:pk>/publish/", v.RoundPublishView.as_view(), name="round-publish"),
    path("onboarding/rounds/<int:pk>/close/", v.RoundCloseView.as_view(), name="round-close"),
    path(
        "onboarding/rounds/<int:pk>/publicity/",
        v.RoundPublicityStartView.as_view(),
        name="round-publicity-start",
    ),
    path(
        "onboarding/rounds/<int:pk>/apply/",
        v.ApplicationCreateView.as_view(),
        name="application-create",
    ),
    path(
        "onboarding/applications/<int:pk>/",
        v.ApplicationDetailView.as_view(),
        name="application-detail",
    ),
    path(
        "onboarding/applications/<int:pk>/transition/",
        v.ApplicationTransitionView.as_view(),
        name="application-transition",
    ),
    path(
        "onboarding/objections/<int:pk>/resolve/",
        v.ObjectionResolveView.as_view(),
        name="objection-resolve",
    ),
    path(
        "onboarding/declarations/<int:pk>/decide/",
        v.DeclarationDecideView.as_view(),
        name="declaration-decide",
    ),
    path(
        "onboarding/declarations/<int:pk>/file/",
        v.DeclarationFileView.as_view(),
        name="declaration-file",
    ),
    path("onboarding/training/", v.TrainingListView.as_view(), name="training-list"),
    path("onboarding/training/new/", v.TrainingCreateView.as_view(), name="training-create"),
    path("onboarding/people/<int:pk>/trace/", v.PersonTraceView.as_view(), name="person-trace"),
]
