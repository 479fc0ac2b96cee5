"""The workflow's API routes: (prefix, viewset, basename), registered by ``gongyi.urls``."""

from people.onboarding import apis

api_routes: list = [
    ("rounds", apis.RoundViewSet, "round"),
    ("applications", apis.ApplicationViewSet, "application"),
]
