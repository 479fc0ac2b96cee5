"""Warnings' API routes, registered by ``gongyi.urls``."""

from audits.warnings import apis

api_routes: list = [("warnings", apis.ExpiryWarningViewSet, "warning")]
