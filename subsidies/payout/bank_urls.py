"""The bank pages of the payout (included under /payout/bank/)."""

from django.urls import path

from subsidies.payout import bank_views

urlpatterns = [
    path("", bank_views.BatchListView.as_view(), name="payout-bank-batches"),
    path("batches/<int:pk>/", bank_views.BatchBankView.as_view(), name="payout-bank-batch"),
    path("batches/<int:pk>/file/", bank_views.DownloadView.as_view(), name="payout-bank-download"),
    path("templates/", bank_views.TemplateListView.as_view(), name="payout-bank-templates"),
    path("templates/new/", bank_views.TemplateEditView.as_view(), name="payout-bank-template-add"),
    path(
        "templates/<int:pk>/",
        bank_views.TemplateEditView.as_view(),
        name="payout-bank-template-edit",
    ),
    path("fixes/", bank_views.FixListView.as_view(), name="payout-account-fixes"),
    path("fixes/<int:pk>/", bank_views.FixView.as_view(), name="payout-account-fix"),
]
