"""URLs of the workflow's queue pages: the county's review and approval queue, the department
reviewers' queue, and the village's democratic review and publicity page."""

from django.urls import path

from people.onboarding import queue_views as views
from people.onboarding import village_views

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
    path(
        "onboarding/village/",
        village_views.VillageOnboardingView.as_view(),
        name="village-onboarding",
    ),
    path(
        "onboarding/village/reviews/new/",
        village_views.DemocraticReviewCreateView.as_view(),
        name="democratic-review-create",
    ),
    path(
        "onboarding/village/reviews/<int:pk>/",
        village_views.DemocraticReviewDetailView.as_view(),
        name="democratic-review-detail",
    ),
    path(
        "onboarding/village/reviews/<int:pk>/minutes/",
        village_views.DemocraticReviewMinutesView.as_view(),
        name="democratic-review-minutes",
    ),
    path(
        "onboarding/publicity/<int:pk>/objection/",
        village_views.ObjectionCreateView.as_view(),
        name="objection-create",
    ),
]
