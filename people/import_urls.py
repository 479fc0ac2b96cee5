"""The roster import's pages (``people.import_views``)."""

urlpatterns: list = []
