"""URLs of the workflow's printed documents: an A4 page each, and a PDF of the announcement, the
publicity list and the agreement (``print_views``)."""

from django.urls import path

from people.onboarding import print_views as views

urlpatterns = [
    path(
        "onboarding/rounds/<int:pk>/announcement/",
        views.RoundAnnouncementView.as_view(),
        name="round-announcement-print",
    ),
    path(
        "onboarding/rounds/<int:pk>/announcement.pdf",
        views.RoundAnnouncementPdfView.as_view(),
        name="round-announcement-pdf",
    ),
    path(
        "onboarding/applications/<int:pk>/notice/",
        views.ApplicationNoticeView.as_view(),
        name="application-notice-print",
    ),
    path(
        "onboarding/applications/<int:pk>/agreement/",
        views.AgreementView.as_view(),
        name="application-agreement-print",
    ),
    path(
        "onboarding/applications/<int:pk>/agreement.pdf",
        views.AgreementPdfView.as_view(),
        name="application-agreement-pdf",
    ),
    path(
        "onboarding/publicities/<int:pk>/print/",
        views.PublicityView.as_view(),
        name="publicity-print",
    ),
    path(
        "onboarding/publicities/<int:pk>/list.pdf",
        views.PublicityPdfView.as_view(),
        name="publicity-pdf",
    ),
    path(
        "onboarding/objections/<int:pk>/finding/",
        views.ObjectionFindingView.as_view(),
        name="objection-finding-print",
    ),
    path(
        "onboarding/training-sessions/<int:pk>/sign-in/",
        views.TrainingSignInView.as_view(),
        name="training-signin-print",
    ),
]
