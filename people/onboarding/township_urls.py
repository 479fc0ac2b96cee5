"""URLs of the workflow's township pages (filled in by their module)."""

urlpatterns: list = []
