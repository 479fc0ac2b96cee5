"""The external datasets' API routes: (prefix, viewset, basename), registered by
``gongyi.urls``."""

from audits.datasets import apis, finding_apis

api_routes: list = [
    ("datasets/versions", apis.DatasetVersionViewSet, "dataset-version"),
    ("findings", finding_apis.FindingViewSet, "finding"),
]
