"""The workflow's API routes: (prefix, viewset, basename), registered by ``gongyi.urls``."""

api_routes: list = []
