"""The workflow's URLs: the township's pages, the queues (county, departments, villages), the
printed documents, and the API routes."""

from people.onboarding import api_urls, print_urls, queue_urls, township_urls

urlpatterns = [*township_urls.urlpatterns, *queue_urls.urlpatterns, *print_urls.urlpatterns]
api_routes = api_urls.api_routes
