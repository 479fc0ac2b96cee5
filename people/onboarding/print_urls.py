"""URLs of the workflow's print pages (filled in by their module)."""

urlpatterns: list = []
