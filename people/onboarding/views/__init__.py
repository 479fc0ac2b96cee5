"""The township's pages of the workflow, by page: ``rounds`` (the rounds and their board),
``applications`` (entering one, its timeline with its moves, objections' findings, relative
declarations) and ``training`` (training sessions and the trace report per person). The names
the URLs use are re-exported here."""

from people.onboarding.views.applications import (
    ApplicationCreateView,
    ApplicationDetailView,
    ApplicationTransitionView,
    DeclarationDecideView,
    DeclarationFileView,
    ObjectionResolveView,
)
from people.onboarding.views.rounds import (
    RoundApplicationsView,
    RoundCloseView,
    RoundDetailView,
    RoundFormView,
    RoundListView,
    RoundPublicityStartView,
    RoundPublishView,
)
from people.onboarding.views.training import PersonTraceView, TrainingCreateView, TrainingListView

__all__ = [
    "ApplicationCreateView",
    "ApplicationDetailView",
    "ApplicationTransitionView",
    "DeclarationDecideView",
    "DeclarationFileView",
    "ObjectionResolveView",
    "PersonTraceView",
    "RoundApplicationsView",
    "RoundCloseView",
    "RoundDetailView",
    "RoundFormView",
    "RoundListView",
    "RoundPublicityStartView",
    "RoundPublishView",
    "TrainingCreateView",
    "TrainingListView",
]
