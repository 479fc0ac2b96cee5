"""The payout's API routes: (prefix, viewset, basename), registered by ``gongyi.urls``;
basenames start with ``payout-``. The bank's payment file and return add their own."""

from subsidies.payout import apis

api_routes: list = [
    ("payout/batches", apis.PayoutBatchViewSet, "payout-batch"),
    ("payout/lines", apis.PayoutLineViewSet, "payout-line"),
    ("payout/grade-rules", apis.GradeRuleViewSet, "payout-grade-rule"),
]
