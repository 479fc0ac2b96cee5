from django.http import HttpResponse
from django.urls import path

from gongyi.urls import urlpatterns as gongyi_urlpatterns


def bare(request):
    """The baseline: a Django view that does nothing, behind the same middleware."""
    return HttpResponse("ok")


urlpatterns = [path("bench/bare/", bare, name="bench-bare"), *gongyi_urlpatterns]
