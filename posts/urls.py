from django.urls import path

from posts import apis, views

urlpatterns = [
    path("posts/", views.PostListView.as_view(), name="post-list"),
    path("posts/new/", views.PostFormView.as_view(), name="post-create"),
    path("posts/types/", views.PostTypeListView.as_view(), name="post-type-list"),
    path("posts/standards/", views.StandardsView.as_view(), name="post-standards"),
    path("posts/import/", views.PostImportView.as_view(), name="post-import"),
    path(
        "posts/import/template/",
        views.PostImportTemplateView.as_view(),
        name="post-import-template",
    ),
    path("posts/import/<int:pk>/", views.PostImportJobView.as_view(), name="post-import-job"),
    path(
        "posts/import/<int:pk>/commit/",
        views.PostImportCommitView.as_view(),
        name="post-import-commit",
    ),
    path("posts/<int:pk>/", views.PostDetailView.as_view(), name="post-detail"),
    path("posts/<int:pk>/edit/", views.PostFormView.as_view(), name="post-edit"),
    path("posts/<int:pk>/status/", views.PostTransitionView.as_view(), name="post-transition"),
    path("plans/", views.PlanListView.as_view(), name="plan-list"),
    path("plans/<int:pk>/", views.PlanDetailView.as_view(), name="plan-detail"),
    path("plans/<int:pk>/targets/", views.PlanEditView.as_view(), name="plan-edit"),
    path("plans/<int:pk>/allocate/", views.PlanAllocateView.as_view(), name="plan-allocate"),
    path("reviews/disparity/", views.DisparityReviewView.as_view(), name="review-disparity"),
    path("reviews/vacant/", views.VacantReviewView.as_view(), name="review-vacant"),
    path("reviews/unused/", views.UnusedReviewView.as_view(), name="review-unused"),
]

#: (prefix, viewset, basename) for the API router.
api_routes = [
    ("post-types", apis.PostTypeViewSet, "post-type"),
    ("posts", apis.PostViewSet, "post"),
    ("plans", apis.PlanViewSet, "plan"),
]
