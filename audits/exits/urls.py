"""Pages of exits and recovery (``audits.exits.views``)."""

from django.urls import path

from audits.exits import views

urlpatterns = [
    path("exits/", views.ExitListView.as_view(), name="exit-list"),
    path("exits/placements/<int:pk>/", views.ExitCreateView.as_view(), name="exit-create"),
    path("exits/<int:pk>/", views.ExitDetailView.as_view(), name="exit-detail"),
    path("exits/<int:pk>/notice/", views.ExitNoticeView.as_view(), name="exit-notice"),
    path("exits/<int:pk>/notice.pdf", views.ExitNoticePdfView.as_view(), name="exit-notice-pdf"),
    path("debts/", views.DebtListView.as_view(), name="debt-list"),
    path("debts/export.xlsx", views.DebtExportView.as_view(), name="debt-export"),
    path("debts/<int:pk>/", views.DebtDetailView.as_view(), name="debt-detail"),
]
