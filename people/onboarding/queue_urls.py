"""URLs of the workflow's queue pages (filled in by their module)."""

urlpatterns: list = []
