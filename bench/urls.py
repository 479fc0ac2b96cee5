from django.http import HttpResponse
from django.urls import path

from gongyi.urls import urlpatterns as gongyi_urlpatterns


def bare(request):
    """The baseline: a Django view that does nothing, behind the same middleware."""
    return HttpResponse("ok")


def bare_posts(request):
    """The catalogue's query floor: the same filters' count and first 50 posts, unscoped and
    without a template, behind the same middleware."""
    from posts.models import Post
    from posts.selectors import POST_FILTERS

    posts = Post.objects.select_related("post_type", "township", "village")
    for name, value in request.GET.items():
        if name in POST_FILTERS and value:
            posts = POST_FILTERS[name](posts, value)
    posts = posts.order_by("region_code", "id")
    count = posts.count()
    lines = [f"{p.pk} {p.title} {p.post_type.name} {p.township.name}" for p in posts[:50]]
    return HttpResponse(f"{count}\n" + "\n".join(lines))


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/bare-posts/", bare_posts, name="bench-bare-posts"),
    *gongyi_urlpatterns,
]
