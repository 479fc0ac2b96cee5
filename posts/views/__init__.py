"""Pages of the post catalogue, the annual plans and the reviews, a module per page. Each view
checks the role, reads through the selectors (``scope_queryset``), calls one service and shows
its refusal; workbooks are built in ``posts.exports``."""

from posts.views.catalogue import (
    PostDetailView,
    PostFormView,
    PostListView,
    PostTransitionView,
    PostTypeListView,
    filter_params,
)
from posts.views.common import PAGE_SIZE, export_logged, wants_xlsx
from posts.views.imports import (
    PostImportCommitView,
    PostImportJobView,
    PostImportTemplateView,
    PostImportView,
)
from posts.views.plans import PlanAllocateView, PlanDetailView, PlanEditView, PlanListView
from posts.views.reviews import (
    DisparityReviewView,
    PostReviewView,
    ReviewView,
    UnusedReviewView,
    VacantReviewView,
)
from posts.views.standards import StandardsView

__all__ = [
    "PAGE_SIZE",
    "DisparityReviewView",
    "PlanAllocateView",
    "PlanDetailView",
    "PlanEditView",
    "PlanListView",
    "PostDetailView",
    "PostFormView",
    "PostImportCommitView",
    "PostImportJobView",
    "PostImportTemplateView",
    "PostImportView",
    "PostListView",
    "PostReviewView",
    "PostTransitionView",
    "PostTypeListView",
    "ReviewView",
    "StandardsView",
    "UnusedReviewView",
    "VacantReviewView",
    "export_logged",
    "filter_params",
    "wants_xlsx",
]
