"""The URL configuration of the benchmarks: the project's, with a bare view and a *floor view* for
each list page. A floor view calls the selector its page calls, with the same filters and page
size, and returns the same rows as JSON without a template: what the page's data costs, behind
the same middleware and login. The ratio page / floor is what the page's rendering adds.

Never part of the project's own URLs (``bench.settings`` serves these to gunicorn for
``python -m bench load``)."""

from django.core.exceptions import PermissionDenied
from django.core.serializers.json import DjangoJSONEncoder
from django.http import HttpResponse, JsonResponse
from django.urls import path

from gongyi.urls import urlpatterns as gongyi_urlpatterns


def bare(request):
    """The baseline: a Django view that does nothing, behind the same middleware."""
    return HttpResponse("ok")


def _json(data: dict) -> JsonResponse:
    return JsonResponse(data, encoder=DjangoJSONEncoder, json_dumps_params={"ensure_ascii": False})


def floor_posts(request):
    """The catalogue's floor (``posts.views.PostListView``): ``post_list`` and ``post_page``."""
    from posts import selectors
    from posts.views import PAGE_SIZE

    if not request.user.is_authenticated:
        raise PermissionDenied
    params = request.GET.dict()
    posts = selectors.post_list(request.user, params)
    page, rows = selectors.post_page(posts, params.get("page"), PAGE_SIZE)
    return _json({"count": page.paginator.count, "rows": rows})


def floor_people(request):
    """The person search's floor (``people.views.PersonListView``): ``person_list`` and
    ``person_page``, ID numbers masked as the page shows them."""
    from people import selectors
    from people.masking import id_masker

    if not request.user.is_authenticated:
        raise PermissionDenied
    params = selectors.person_list_params(request.GET)
    page = selectors.person_page(
        selectors.person_list(selectors.people_for(request.user), params),
        selectors.page_number(request.GET),
    )
    masker = id_masker(request.user)
    for row in page.rows:
        row["id_number"] = masker(row["id_number"])
    return _json({"count": page.count, "rows": page.rows})


def floor_queue(request):
    """The county queue's floor (``people.onboarding.queue_views.ApplicationQueueView``):
    ``county_queue``, ID numbers masked as the page shows them."""
    from people.masking import id_masker
    from people.onboarding import selectors

    if not request.user.is_authenticated:
        raise PermissionDenied
    page = selectors.county_queue(
        request.user, selectors.clean_params(request.GET, selectors.QUEUE_PARAMS)
    )
    masker = id_masker(request.user)
    for row in page.rows:
        row["person__id_number"] = masker(row["person__id_number"])
    return _json({"counts": page.counts, "next": page.next_key, "rows": page.rows})


def floor_attendance(request):
    """The month overview's floor (``subsidies.attendance.views.AttendanceHomeView``):
    ``month_overview`` for the user's area, and the townships' sum for a county user."""
    from django.utils import timezone

    from subsidies.attendance import selectors
    from subsidies.attendance.views import month_of

    if not request.user.is_authenticated:
        raise PermissionDenied
    today = timezone.localdate()
    month = month_of(request.GET.get("month"), today)
    units = selectors.month_overview(request.user, month, today=today)
    townships = selectors.township_summary(units) if len(request.user.region.code) == 6 else []
    without = selectors.people_without_attendance(request.user, month, today=today)
    return _json({"units": [vars(u) for u in units], "townships": townships, "without": without})


#: A list's path → its floor view's path. The catalogue's and the registry's API lists read the
#: same selectors as their pages: they are measured against the same floor.
FLOORS = {
    "/posts/": "/bench/floor/posts/",
    "/api/v1/posts/": "/bench/floor/posts/",
    "/people/": "/bench/floor/people/",
    "/api/v1/people/": "/bench/floor/people/",
    "/onboarding/queue/": "/bench/floor/queue/",
    "/attendance/": "/bench/floor/attendance/",
}


def floor_of(url: str) -> str | None:
    """The floor view's URL of a list's URL, with the same query string; None for a list that
    has none (the API's list of applications, which is not the county's queue)."""
    path_part, _, query = url.partition("?")
    floor = FLOORS.get(path_part)
    return f"{floor}?{query}" if floor and query else floor


urlpatterns = [
    path("bench/bare/", bare, name="bench-bare"),
    path("bench/floor/posts/", floor_posts),
    path("bench/floor/people/", floor_people),
    path("bench/floor/queue/", floor_queue),
    path("bench/floor/attendance/", floor_attendance),
    *gongyi_urlpatterns,
]
