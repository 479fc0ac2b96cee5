"""Every URL for every role, against an object in the user's own area and one in a sibling area.

Anything outside the user's area is a 404; a role that may not use a page gets 403
whichever object is asked for, so the answer never confirms that an object exists.
"""

import pytest
from django.urls import URLPattern, URLResolver, get_resolver, reverse

from gongyi.audit import audit_record
from gongyi.enums import Role
from gongyi.models import AuditEntry, Region, User
from gongyi.roles import ALL_ROLES, VIEW_AUDIT, VIEW_HISTORY
from gongyi.scoping import scope_queryset
from people.roles import EDIT_PEOPLE
from posts.models import AnnualPlan, Post
from posts.roles import EDIT_POSTS, MANAGE_PLANS, VIEW_REVIEWS
from tests.factories import PostFactory

pytestmark = pytest.mark.django_db


def own_and_sibling(area, role) -> tuple[Region, Region]:
    return {
        Role.COUNTY: (area.county, area.other_county),
        Role.REVIEWER: (area.county, area.other_county),
        Role.FINANCE: (area.county, area.other_county),
        Role.ADMIN: (area.county, area.other_county),
        Role.CLERK: (area.township, area.other_township),
        Role.VILLAGE: (area.village, area.other_village),
    }[role]


def post_in(region) -> Post:
    """A post in the region: in the village itself, or in a village under the region."""
    post = Post.objects.filter(region_code__startswith=region.code).order_by("pk").first()
    if post is None:
        village = (
            region
            if len(region.code) == 12
            else Region.objects.filter(code__startswith=region.code, level="village")
            .order_by("code")
            .first()
        )
        post = PostFactory(village=village)
    return post


def plan_of(region) -> AnnualPlan:
    county = Region.objects.get(code=region.code[:6])
    return AnnualPlan.objects.get_or_create(
        county=county,
        year=2026,
        defaults={"urban_target": 10, "rural_target": 10, "created_by": User.objects.first()},
    )[0]


def person_in(region):
    """A person whose file is kept in the region (in a village under it), named by its code."""
    from people.models import Person
    from tests.factories import PersonFactory

    person = Person.objects.filter(region_code__startswith=region.code).order_by("pk").first()
    if person is None:
        village = (
            region
            if len(region.code) == 12
            else Region.objects.filter(code__startswith=region.code, level="village")
            .order_by("code")
            .first()
        )
        person = PersonFactory(village=village, name=f"人{region.code}")
        under_review(person)
    return person


def under_review(person):
    """An application of ``person`` awaiting the re-review: the person's file is then read by the
    county's department reviewers too (``gongyi.scoping``)."""
    from people.onboarding.enums import ApplicationState
    from tests.factories import make_application

    township = Region.objects.get(code=person.region_code[:9])
    return make_application(person=person, post=post_in(township), state=ApplicationState.REVIEWED)


PLAN_ROLES = ALL_ROLES - {Role.VILLAGE}

#: URL name → (how to build its arguments from a region, roles that may use it)
OBJECT_URLS = {
    "region-detail": (lambda r: {"code": r.code}, ALL_ROLES),
    "object-history": (lambda r: {"object_type": "gongyi.region", "pk": r.pk}, VIEW_HISTORY),
    "api:region-detail": (lambda r: {"code": r.code}, ALL_ROLES),
    "post-detail": (lambda r: {"pk": post_in(r).pk}, ALL_ROLES),
    "post-edit": (lambda r: {"pk": post_in(r).pk}, EDIT_POSTS),
    "api:post-detail": (lambda r: {"pk": post_in(r).pk}, ALL_ROLES),
    "person-detail": (lambda r: {"pk": person_in(r).pk}, ALL_ROLES),
    "person-edit": (lambda r: {"pk": person_in(r).pk}, EDIT_PEOPLE),
    "api:person-detail": (lambda r: {"pk": person_in(r).pk}, ALL_ROLES),
}
#: Objects a county keeps for everyone in it (plans): own county's visible, another county's 404.
COUNTY_OBJECT_URLS = {
    "plan-detail": (lambda r: {"pk": plan_of(r).pk}, PLAN_ROLES),
    "plan-allocate": (lambda r: {"pk": plan_of(r).pk}, MANAGE_PLANS),
    "api:plan-detail": (lambda r: {"pk": plan_of(r).pk}, PLAN_ROLES),
}
#: list URL name → roles that may use it; the list must show own area and hide the sibling's
LIST_URLS = {
    "region-list": ALL_ROLES,
    "api:region-list": ALL_ROLES,
    "audit-log": VIEW_AUDIT,
    "api:audit-entry-list": VIEW_AUDIT,
    "post-list": ALL_ROLES,
    "api:post-list": ALL_ROLES,
    "review-vacant": VIEW_REVIEWS,
    "review-unused": VIEW_REVIEWS,
    "person-list": ALL_ROLES,
    "api:person-list": ALL_ROLES,
}
#: POST-only URLs and pages whose scoping tests live with their app (tests/posts/).
APP_TESTED_URLS = {
    "post-create",
    "post-transition",
    "post-type-list",
    "post-standards",
    "post-import",
    "post-import-template",
    "post-import-job",
    "post-import-commit",
    "person-import",
    "person-import-template",
    "person-import-job",
    "person-import-commit",
    "plan-list",
    "plan-edit",
    "review-disparity",
    "api:post-type-list",
    "api:post-type-detail",
    "api:post-transition",
    "api:plan-list",
    "job-status",
    "policy-settings",
    # tests/people/test_views.py and test_api.py
    "person-create",
    "person-ranking",
    "target-group-list",
    "person-group-add",
    "person-group-remove",
    "person-declaration-add",
    "person-declaration-withdraw",
    "person-document-add",
    "person-document",
    "api:person-eligibility",
}
#: URLs with tests of their own (login, token, schema, admin).
OTHER_URLS = {
    "home",
    "login",
    "logout",
    "healthz",
    "api-schema",
    "api-docs",
    "api:api-root",
    "api:api-token",
    "api:api-me",
    # the caller's own tokens only: tests/gongyi/test_api_tokens.py
    "api:api-token-own-list",
    "api:api-token-own-detail",
}


def all_url_names(resolver=None, prefix="") -> set[str]:
    names = set()
    for pattern in (resolver or get_resolver()).url_patterns:
        if isinstance(pattern, URLResolver):
            if pattern.namespace == "admin":
                continue
            ns = f"{pattern.namespace}:" if pattern.namespace else prefix
            names |= all_url_names(pattern, ns)
        elif isinstance(pattern, URLPattern) and pattern.name:
            names.add(prefix + pattern.name)
    return names


def onboarding_tested_urls() -> set[str]:
    """The workflow's and attendance's pages and APIs are proved per role in
    tests/<app>/test_scoping_*.py, each of which names the URLs it covers in ``TESTED_URLS``."""
    import importlib
    import pathlib

    names: set[str] = set()
    for path in sorted(pathlib.Path(__file__).parents[1].glob("*/test_scoping_*.py")):
        if path.parent.name == "gongyi":
            continue
        module = importlib.import_module(f"tests.{path.parent.name}.{path.stem}")
        names |= set(module.TESTED_URLS)
    return names


def test_every_url_is_in_the_scoping_matrix():
    covered = set(OBJECT_URLS) | set(COUNTY_OBJECT_URLS) | set(LIST_URLS) | APP_TESTED_URLS
    covered |= onboarding_tested_urls()
    assert all_url_names() - covered - OTHER_URLS == set()


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(OBJECT_URLS))
def test_object_url_own_area_allowed_sibling_area_404(name, role, area, users, login):
    client = login(users[role])
    build, roles = OBJECT_URLS[name]
    own, sibling = own_and_sibling(area, role)
    own_status = client.get(reverse(name, kwargs=build(own))).status_code
    sibling_status = client.get(reverse(name, kwargs=build(sibling))).status_code
    assert (own_status, sibling_status) == ((200, 404) if role in roles else (403, 403))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(COUNTY_OBJECT_URLS))
def test_county_object_url_own_county_allowed_other_county_404(name, role, area, users, login):
    client = login(users[role])
    build, roles = COUNTY_OBJECT_URLS[name]
    own_status = client.get(reverse(name, kwargs=build(area.township))).status_code
    other_status = client.get(reverse(name, kwargs=build(area.other_county))).status_code
    assert (own_status, other_status) == ((200, 404) if role in roles else (403, 403))


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(LIST_URLS))
def test_list_url_shows_own_area_only(name, role, area, users, login):
    client = login(users[role])
    own, sibling = own_and_sibling(area, role)
    if "audit" in name:
        # Give each area something on record: a rename of its region.
        for region in (own, sibling):
            audit_record(actor=None, action="update", instance=region, note=f"mark-{region.code}")
    if "person" in name:
        for region in (own, sibling):
            person_in(region)
    if "post" in name or "review" in name:
        # A post in each area, published long ago and never used: every list shows it.
        for region in (own, sibling):
            post = post_in(region)
            Post.objects.filter(pk=post.pk).update(
                title=f"岗位{region.code}",
                opened_on="2020-01-01",
                vacant_since="2020-01-01",
            )
    response = client.get(reverse(name))
    if role not in LIST_URLS[name]:
        assert response.status_code == 403
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert (own.code in body, sibling.code in body) == (True, False)


@pytest.mark.parametrize("role", list(Role))
def test_anonymous_user_is_sent_to_login_for_every_page(role, area, users):
    from django.test import Client

    client = Client()
    for name, (build, _roles) in OBJECT_URLS.items():
        response = client.get(reverse(name, kwargs=build(area.county)))
        assert response.status_code in (302, 401, 403), name
        if not name.startswith("api:"):
            assert response.url.startswith(reverse("login"))


def test_scope_queryset_is_empty_for_anonymous_and_inactive(area, users):
    from django.contrib.auth.models import AnonymousUser

    clerk = users[Role.CLERK]
    clerk.is_active = False
    assert scope_queryset(AnonymousUser(), Region.objects.all()).count() == 0
    assert scope_queryset(clerk, Region.objects.all()).count() == 0
    assert scope_queryset(users[Role.VILLAGE], AuditEntry.objects.all()).count() == 0


def test_scope_queryset_clerk_sees_township_and_its_villages(area, users):
    codes = set(
        scope_queryset(users[Role.CLERK], Region.objects.all()).values_list("code", flat=True)
    )
    assert codes == {"370902001", "370902001001", "370902001002"}


def test_admin_pages_scoped_to_the_admins_area(area, users, login):
    client = login(users[Role.ADMIN])
    body = client.get(reverse("admin:gongyi_region_changelist")).content.decode()
    own = client.get(reverse("admin:gongyi_region_change", args=[area.township.pk]))
    other = client.get(reverse("admin:gongyi_region_change", args=[area.other_county.pk]))
    assert ("岱庙街道" in body, "山亭区" in body) == (True, False)
    assert own.status_code == 200
    assert other.status_code == 302  # Django admin redirects a missing object to the index


@pytest.mark.parametrize("role", [Role.COUNTY, Role.CLERK, Role.VILLAGE, Role.REVIEWER])
def test_admin_site_refused_to_other_roles(role, users, login):
    response = login(users[role]).get(reverse("admin:index"))
    assert response.status_code == 302
    assert "/admin/login/" in response.url


# --- the SQL side: scope_sql_prefix ------------------------------------------------------------


def sql_ids(model, prefix) -> set[int]:
    """The ids of ``model``'s rows whose region code matches ``prefix``, read as raw SQL reads
    them."""
    from django.db import connection

    column = model._meta.get_field(model.scope_code_field).column
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT id FROM {model._meta.db_table} WHERE {column} LIKE %s",
            [prefix],
        )
        return {pk for (pk,) in cursor.fetchall()}


@pytest.fixture
def everywhere(area):
    """A person on a post, with a month of attendance, in a village of each township of both
    counties; half of them under re-review (read by the county's department reviewers)."""
    import datetime as dt

    from subsidies.attendance.planning import month_prepare
    from tests.factories import PlacementFactory

    far_county_village = Region.objects.get(code="370406106200")
    for village in (area.village, area.other_village, area.far_village, far_county_village):
        person = person_in(village)  # under re-review
        PlacementFactory(person=person, post=PostFactory(village=village))
        PlacementFactory(person__village=village, post=PostFactory(village=village))
        month_prepare(month=dt.date(2026, 11, 1), region_code=village.code)


def scoped_models():
    from people.models import Person, Placement
    from subsidies.attendance.models import AttendanceMonth, AttendanceSheet

    return [Region, Person, Placement, AttendanceSheet, AttendanceMonth]


@pytest.mark.parametrize("role", list(Role))
def test_scope_sql_prefix_reads_what_scope_queryset_reads(role, users, everywhere):
    """County, township, village, administrator: the same rows of every model, some of them and
    not all. A department reviewer: the same rows of a model without personal data (regions,
    sheets); of personal data, none by SQL, where scope_queryset reads the files under review."""
    from gongyi.scoping import scope_sql_prefix

    user = users[role]
    for model in scoped_models():
        by_sql = sql_ids(model, scope_sql_prefix(user, model))
        by_queryset = set(scope_queryset(user, model.objects.all()).values_list("pk", flat=True))
        everything = set(model.objects.values_list("pk", flat=True))
        if role == Role.REVIEWER and getattr(model, "scope_reviewer_path", None) is not None:
            assert by_sql == set(), model
            assert by_queryset and by_queryset < everything, model
        else:
            assert by_sql == by_queryset, model
            assert by_sql and by_sql < everything, model


def test_scope_sql_prefix_matches_nothing_for_anonymous_and_inactive(users, everywhere):
    from django.contrib.auth.models import AnonymousUser

    from gongyi.scoping import scope_sql_prefix
    from people.models import Placement

    clerk = users[Role.CLERK]
    clerk.is_active = False
    for user in (AnonymousUser(), clerk):
        assert scope_sql_prefix(user, Placement) is None
        assert sql_ids(Placement, None) == set()
        assert not scope_queryset(user, Placement.objects.all()).exists()


def test_scope_sql_prefix_refuses_reference_data(users):
    from django.core.exceptions import ImproperlyConfigured

    from gongyi.scoping import scope_sql_prefix

    with pytest.raises(ImproperlyConfigured):
        scope_sql_prefix(users[Role.COUNTY], AnnualPlan)
