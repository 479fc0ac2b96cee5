"""The page cache (``gongyi.pagecache``): every kind of write advances the data version, a kept
page is never served after a change, never to another user, never while a writer is open, and
its CSRF token works for the session that gets it."""

import re

import psycopg
import pytest
from django.core.cache import caches
from django.db import connection
from django.http import HttpResponse
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext

from gongyi import pagecache
from gongyi.enums import Role
from posts.models import Post
from tests.factories import PostFactory

CATALOGUE = "/posts/"

# Committed data, as in production: a request inside a transaction that has written (the plain
# ``db`` fixture's) renders what might be rolled back, and is never kept.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _empty_cache():
    caches["pages"].clear()
    yield
    caches["pages"].clear()


def test_every_table_but_the_untracked_advances_the_version(db):
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT c.relname FROM pg_trigger t JOIN pg_class c ON c.oid = t.tgrelid "
            "WHERE t.tgname = %s",
            [pagecache.TRIGGER],
        )
        triggered = {name for (name,) in cursor.fetchall()}
        tables = set(connection.introspection.table_names(cursor))
    tracked = set(pagecache.tracked_tables(connection))
    assert {"posts_post", "people_person", "onboarding_application", "gongyi_user"} <= tracked
    assert triggered == tracked
    assert not triggered & set(pagecache.UNTRACKED_TABLES)
    assert "django_session" in tables - triggered


def test_save_update_raw_sql_and_delete_each_advance_the_version(area, county):
    post = PostFactory(village=area.village)
    seen = [pagecache.data_version()]

    def advanced():
        seen.append(pagecache.data_version())
        return seen[-1] > seen[-2]

    post.title = "保洁"
    post.save()
    assert advanced()
    Post.objects.filter(pk=post.pk).update(headcount=3)  # one bulk statement
    assert advanced()
    with connection.cursor() as cursor:
        cursor.execute("UPDATE posts_post SET duties = 'x' WHERE id = %s", [post.pk])
    assert advanced()
    Post.objects.filter(pk=post.pk).update(headcount=3)  # a statement that changes no row
    assert advanced()
    Post.objects.filter(pk=post.pk).delete()
    assert advanced()
    Post.objects.filter(pk=-1).exists()  # a read
    assert not advanced()


def _titles(response) -> list[str]:
    return re.findall(r"测试岗位\d+|改名岗位", response.content.decode())


def test_a_kept_page_is_served_until_the_data_changes(area, county, login):
    post = PostFactory(village=area.village)
    client = login(county)
    first = client.get(CATALOGUE)
    with CaptureQueriesContext(connection) as served:
        again = client.get(CATALOGUE)
    assert _csrf_free(again) == _csrf_free(first)
    assert dict(again.headers) == dict(first.headers)
    assert post.title in _titles(again)
    # From the cache: the session, the user and the version; no post is read.
    assert not any("posts_post" in q["sql"] for q in served.captured_queries)
    assert len(served) <= 3

    Post.objects.filter(pk=post.pk).update(title="改名岗位")  # not through save(): no signal
    changed = client.get(CATALOGUE)
    assert "改名岗位" in _titles(changed) and post.title not in _titles(changed)


def _csrf_free(response) -> bytes:
    return re.sub(rb'value="[A-Za-z0-9]{64}"', b"", response.content)


def test_one_users_page_is_never_another_users(area, users, login):
    PostFactory(village=area.village, title="本镇岗位")
    PostFactory(village=area.far_village, title="他镇岗位")
    county = Client()
    county.force_login(users[Role.COUNTY])
    clerk = Client()
    clerk.force_login(users[Role.CLERK])
    for _ in range(2):  # the second round is served from the cache
        assert "他镇岗位" in county.get(CATALOGUE).content.decode()
        page = clerk.get(CATALOGUE).content.decode()
        assert "本镇岗位" in page and "他镇岗位" not in page


def test_a_users_region_change_is_seen_at_once(area, clerk, login):
    PostFactory(village=area.far_village, title="他镇岗位")
    client = login(clerk)
    assert "他镇岗位" not in client.get(CATALOGUE).content.decode()
    clerk.region = area.other_township
    clerk.save()
    assert "他镇岗位" in client.get(CATALOGUE).content.decode()


def test_the_csrf_token_of_a_kept_page_is_the_sessions_own(area, county):
    PostFactory(village=area.village)
    first, second = Client(enforce_csrf_checks=True), Client(enforce_csrf_checks=True)
    first.force_login(county)
    second.force_login(county)
    first.get(CATALOGUE)  # kept
    page = second.get(CATALOGUE)  # served from the cache to another session
    token = re.search(r'name="csrfmiddlewaretoken" value="([A-Za-z0-9]{64})"', page.text)[1]
    assert "\x00" not in page.text
    # The token works for this session: logging out with it is not refused.
    response = second.post("/logout/", {"csrfmiddlewaretoken": token})
    assert response.status_code == 302


def test_a_page_with_a_message_is_not_kept(area, clerk, login, settings):
    client = login(clerk)
    from django.contrib.messages import constants
    from django.contrib.messages.storage.session import SessionStorage

    settings.MESSAGE_STORAGE = "django.contrib.messages.storage.session.SessionStorage"
    request = RequestFactory().get(CATALOGUE)
    request.session = client.session
    storage = SessionStorage(request)
    storage.add(constants.SUCCESS, "已保存岗位")
    storage.update(HttpResponse())
    request.session.save()
    assert "已保存岗位" in client.get(CATALOGUE).content.decode()
    assert "已保存岗位" not in client.get(CATALOGUE).content.decode()  # shown once


def test_the_api_list_is_kept_per_user_and_the_browsable_api_is_not(area, users):
    post = PostFactory(village=area.village, title="本镇岗位")
    client = Client()
    client.force_login(users[Role.CLERK])
    url = "/api/v1/posts/"
    responses = [client.get(url) for _ in range(2)]  # rendered, then served from the cache
    for response in responses:
        assert response["Content-Type"] == "application/json"
        assert [r["title"] for r in response.json()["results"]] == ["本镇岗位"]
    assert dict(responses[0].headers) == dict(responses[1].headers)
    Post.objects.filter(pk=post.pk).update(title="改名岗位")
    assert client.get(url).json()["results"][0]["title"] == "改名岗位"
    page = client.get(url, HTTP_ACCEPT="text/html")
    assert page.status_code == 200 and "text/html" in page["Content-Type"]
    hits = 0
    for _ in range(2):
        with CaptureQueriesContext(connection) as queries:
            client.get(url, HTTP_ACCEPT="text/html")
        hits += not any("posts_post" in q["sql"] for q in queries.captured_queries)
    assert hits == 0  # rendered afresh each time


def test_a_token_user_gets_their_own_list(area, users):
    from rest_framework.authtoken.models import Token

    PostFactory(village=area.far_village, title="他镇岗位")
    county = Client()
    county.force_login(users[Role.COUNTY])
    assert county.get("/api/v1/posts/").json()["count"] == 1  # kept for the county
    token = Token.objects.create(user=users[Role.CLERK])
    clerk = Client(HTTP_AUTHORIZATION=f"Token {token.key}")
    assert clerk.get("/api/v1/posts/").json()["count"] == 0


def _request(user):
    request = RequestFactory().get(CATALOGUE, {"page": "2"})
    request.user = user
    return request


def test_nothing_is_kept_while_another_transaction_that_wrote_is_open(area, county):
    post = PostFactory(village=area.village)
    name = connection.settings_dict["NAME"]
    calls = []

    def render():
        calls.append(1)
        return HttpResponse(Post.objects.get(pk=post.pk).title)

    with psycopg.connect(dbname=name, user="postgres", host="127.0.0.1") as other:
        # A writer has advanced the version but not committed: what we render now is the old
        # data, and must not be kept under the new version.
        other.execute("UPDATE posts_post SET title = '改名岗位' WHERE id = %s", [post.pk])
        assert pagecache.serve(_request(county), render).content.decode() == post.title
        assert pagecache.serve(_request(county), render).content.decode() == post.title
        assert len(calls) == 2  # rendered both times: nothing was kept
        other.commit()
    assert pagecache.serve(_request(county), render).content.decode() == "改名岗位"
    assert pagecache.serve(_request(county), render).content.decode() == "改名岗位"
    assert len(calls) == 3  # kept once nobody was writing


def test_off_on_request_of_the_settings(area, county, settings):
    settings.GONGYI_PAGE_CACHE = False
    calls = []

    def render():
        calls.append(1)
        return HttpResponse("x")

    for _ in range(2):
        pagecache.serve(_request(county), render)
    assert len(calls) == 2


def test_only_a_200_of_the_expected_type_is_kept(area, county):
    calls = []

    def render(status=404):
        calls.append(1)
        return HttpResponse("x", status=status)

    for _ in range(2):
        pagecache.serve(_request(county), render)
    assert len(calls) == 2


def test_nothing_is_kept_inside_a_transaction_that_has_written(area, county):
    from django.db import transaction

    post = PostFactory(village=area.village)
    calls = []

    def render():
        calls.append(1)
        return HttpResponse(Post.objects.get(pk=post.pk).title)

    try:
        with transaction.atomic():
            Post.objects.filter(pk=post.pk).update(title="未提交")
            assert pagecache.serve(_request(county), render).content.decode() == "未提交"
            raise RuntimeError("rolled back")
    except RuntimeError:
        pass
    assert pagecache.serve(_request(county), render).content.decode() == post.title
    assert len(calls) == 2


def test_a_page_rendered_for_a_user_loaded_before_a_change_is_not_served_after_it(area, clerk):
    from gongyi.models import User

    PostFactory(village=area.far_village, title="他镇岗位")
    loaded = User.objects.select_related("region").get(pk=clerk.pk)  # authentication, earlier
    User.objects.filter(pk=clerk.pk).update(region=area.other_township)  # the admin moves them

    def render(user):
        posts = Post.objects.filter(region_code__startswith=user.region.code)
        return HttpResponse(",".join(p.title for p in posts))

    request = _request(loaded)
    assert pagecache.serve(request, lambda: render(loaded)).content.decode() == ""
    moved = User.objects.select_related("region").get(pk=clerk.pk)
    request = _request(moved)
    assert pagecache.serve(request, lambda: render(moved)).content.decode() == "他镇岗位"


def test_the_api_key_holds_the_host_and_the_media_type(area, county):
    PostFactory.create_batch(51, village=area.village)  # two pages: a link to the next
    client = Client()
    client.force_login(county)
    url = "/api/v1/posts/"
    for _ in range(2):
        plain = client.get(url, HTTP_HOST="localhost")
        indented = client.get(url, HTTP_HOST="localhost", HTTP_ACCEPT="application/json; indent=4")
        other = client.get(url, HTTP_HOST="127.0.0.1")
        assert b"\n" not in plain.content and b"\n    " in indented.content
        assert plain.json()["next"].startswith("http://localhost/")
        assert other.json()["next"].startswith("http://127.0.0.1/")


def test_the_version_names_the_database_and_counts_the_statements(db):
    token = pagecache._version()
    oid, count = token.split(".", 1)[0], token.rsplit(".", 1)[1]
    assert oid.isdigit() and int(count) == pagecache.data_version()


def test_with_redis_away_pages_are_rendered_as_without_a_cache(area, county, settings):
    settings.CACHES = {
        **settings.CACHES,
        "pages": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens there
        },
    }
    PostFactory(village=area.village, title="本镇岗位")
    client = Client()
    client.force_login(county)
    for _ in range(2):
        response = client.get(CATALOGUE)
        assert response.status_code == 200 and "本镇岗位" in response.content.decode()
