"""URLs of the workflow's queue pages: the county's review and approval queue, the department
reviewers' queue, and the village's democratic review and publicity page."""

from django.urls import path

from people.onboarding import queue_views as views

urlpatterns: list = [
    path("onboarding/queue/", views.ApplicationQueueView.as_view(), name="application-queue"),
    path(
        "onboarding/queue/action/",
        views.ApplicationQueueActionView.as_view(),
        name="application-queue-action",
    ),
    path("onboarding/opinions/", views.OpinionQueueView.as_view(), name="opinion-queue"),
    path(
        "onboarding/opinions/action/",
        views.OpinionQueueActionView.as_view(),
        name="opinion-queue-action",
    ),
    path("onboarding/village/", views.VillageOnboardingView.as_view(), name="village-onboarding"),
    path(
        "onboarding/village/reviews/new/",
        views.DemocraticReviewCreateView.as_view(),
        name="democratic-review-create",
    ),
    path(
        "onboarding/village/reviews/<int:pk>/",
        views.DemocraticReviewDetailView.as_view(),
        name="democratic-review-detail",
    ),
    path(
        "onboarding/village/reviews/<int:pk>/minutes/",
        views.DemocraticReviewMinutesView.as_view(),
        name="democratic-review-minutes",
    ),
    path(
        "onboarding/publicity/<int:pk>/objection/",
        views.ObjectionCreateView.as_view(),
        name="objection-create",
    ),
]
