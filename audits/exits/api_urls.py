"""The API routes of exits and recovery: (prefix, viewset, basename), registered by
``gongyi.urls``."""

from audits.exits import apis

api_routes: list = [
    ("exits", apis.ExitViewSet, "exit"),
    ("debts", apis.DebtViewSet, "debt"),
]
