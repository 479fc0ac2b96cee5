"""The payout's API routes: (prefix, viewset, basename), registered by ``gongyi.urls``;
basenames start with ``payout-``. The bank's side (``bank_apis``) is under ``payout/bank-…``
and ``payout/account-fixes``."""

from subsidies.payout import apis, bank_apis

api_routes: list = [
    ("payout/batches", apis.PayoutBatchViewSet, "payout-batch"),
    ("payout/lines", apis.PayoutLineViewSet, "payout-line"),
    ("payout/grade-rules", apis.GradeRuleViewSet, "payout-grade-rule"),
    ("payout/bank-templates", bank_apis.BankTemplateViewSet, "payout-bank-template"),
    ("payout/bank-batches", bank_apis.BankBatchViewSet, "payout-bank-batch"),
    ("payout/account-fixes", bank_apis.AccountFixViewSet, "payout-account-fix"),
]
