"""Scoping proof of the workflow's API (tests/gongyi/test_scoping.py collects ``TESTED_URLS``):
for every role, each route on an object of its own area answers (or is 403 for a role that may
not use it, whichever object is asked), and the same route on a sibling area's object is a 404.

Rounds belong to a township: a village committee sees none, its own township's included
(``scope_queryset`` on ``Round``), so a round is a 404 for it wherever it is; it sees its own
people's applications. The routes that create take the objects in the body: one of another area
there is a 400 on that field ("does not exist", or the service's "outside your area"), never a
confirmation that it exists."""

import datetime as dt

import pytest
from django.urls import reverse
from django.utils import timezone

from gongyi.enums import Role
from gongyi.models import Region, User
from gongyi.roles import ALL_ROLES
from people.onboarding.apis import MOVE_ROLES
from people.onboarding.enums import ApplicationState as S
from people.onboarding.enums import RoundStatus
from people.onboarding.models import Application, Round, RoundPost
from people.onboarding.roles import ENTER_APPLICATIONS, GIVE_OPINIONS, MANAGE_ROUNDS
from tests.factories import PersonFactory, PostFactory, add_group
from tests.gongyi.test_scoping import own_and_sibling

pytestmark = pytest.mark.django_db


def _township_and_village(region: Region) -> tuple[Region, Region]:
    if len(region.code) == 12:
        return region.parent, region
    township = (
        region
        if len(region.code) == 9
        else Region.objects.filter(code__startswith=region.code, level="township")
        .order_by("code")
        .first()
    )
    village = (
        Region.objects.filter(code__startswith=township.code, level="village")
        .order_by("code")
        .first()
    )
    return township, village


def _person(village, n):
    person = PersonFactory(village=village, born=dt.date(1968, 5, 1 + n), name=f"人{n}")
    add_group(person, "rural_older", recognised_on=dt.date(2020, 1, 1))
    return person


def _round(township, post, actor, status):
    today = timezone.localdate()
    round_ = Round.objects.create(
        township=township,
        region_code=township.code,
        title=f"招聘{township.code}{status}",
        who_may_apply="农村大龄人员",
        opens_on=today - dt.timedelta(days=10),
        closes_on=today + dt.timedelta(days=10),
        apply_at="便民服务中心",
        status=status,
        published_on=today if status == RoundStatus.PUBLISHED else None,
        created_by=actor,
    )
    RoundPost.objects.create(round=round_, post=post, places=1)
    return round_


def objects_in(region: Region) -> dict:
    """A draft and a published round of the township under ``region`` (or of the region), and
    applications of people of a village there: one applied, one awaiting the re-review, and a
    person who has not applied yet."""
    township, village = _township_and_village(region)
    actor = User.objects.order_by("pk").first()
    post = PostFactory(village=village, area_kind="rural", headcount=5, created_by=actor)
    published = _round(township, post, actor, RoundStatus.PUBLISHED)
    today = timezone.localdate()

    def application(state, n):
        return Application.objects.create(
            round=published,
            post=post,
            person=_person(village, n),
            region_code=village.code,
            state=state,
            state_changed_at=timezone.now(),
            applied_on=today,
            eligibility={},
            created_by=actor,
        )

    return {
        "township": township,
        "post": post,
        "draft": _round(township, post, actor, RoundStatus.DRAFT),
        "published": published,
        "applied": application(S.APPLIED, 1),
        "reviewed": application(S.REVIEWED, 2),
        "person": _person(village, 3),
    }


def _url(name, pk=None):
    return reverse(f"api:{name}", args=[pk] if pk is not None else [])


#: Who may see a round of its own area: everyone but the village committee (see above).
ROUND_READERS = ALL_ROLES - {Role.VILLAGE}

#: Routes read by GET on one object: name → (the object of an area, roles that see their own).
#: The application is the one awaiting the re-review, which a department reviewer reads too.
DETAIL_URLS = {
    "round-detail": (lambda o: o["published"].pk, ROUND_READERS),
    "application-detail": (lambda o: o["reviewed"].pk, ALL_ROLES),
    "application-records": (lambda o: o["reviewed"].pk, ALL_ROLES),
}
#: What a department reviewer may not read even in its own county: an application before the
#: re-review (``gongyi.scoping``).
BEFORE_REREVIEW = ("application-detail", "application-records")

#: A move each role that moves applications may make from ``applied``.
MOVES = {
    Role.CLERK: {"to": S.INITIAL_PASSED, "evidence": "材料齐全"},
    Role.COUNTY: {"to": S.WITHDRAWN, "comment": "本人放弃"},
}

#: Routes that write one object: name → (method, the object, the body for a role, roles, status)
OBJECT_WRITE_URLS = {
    "round-detail": ("patch", lambda o: o["draft"].pk, lambda r: {"title": "改"}, MANAGE_ROUNDS),
    "round-publish": ("post", lambda o: o["draft"].pk, lambda r: {}, MANAGE_ROUNDS),
    "round-close": ("post", lambda o: o["published"].pk, lambda r: {}, MANAGE_ROUNDS),
    "application-transition": (
        "post",
        lambda o: o["applied"].pk,
        lambda r: MOVES.get(r, {"to": S.INITIAL_PASSED}),
        MOVE_ROLES,
    ),
}

TESTED_URLS = {
    "api:round-list",
    "api:round-detail",
    "api:round-publish",
    "api:round-close",
    "api:application-list",
    "api:application-detail",
    "api:application-transition",
    "api:application-records",
    "api:application-bulk-transition",
    "api:application-opinions",
}


def test_every_route_of_the_api_is_here():
    from people.onboarding import api_urls

    names = {
        f"api:{basename}-{suffix}"
        for _prefix, viewset, basename in api_urls.api_routes
        for suffix in ["list", "detail"]
        + [a.url_name for a in viewset.get_extra_actions()]  # the actions, as DRF names them
    }
    assert names == TESTED_URLS
    assert frozenset({Role.CLERK, Role.COUNTY}) == MOVE_ROLES


@pytest.fixture
def own_and_other(area, users):
    def build(role):
        own, sibling = own_and_sibling(area, role)
        return objects_in(own), objects_in(sibling)

    return build


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", ["round-list", "application-list"])
def test_lists_show_the_own_area_only(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(_url(name))
    assert response.status_code == 200
    ids = {row["id"] for row in response.json()["results"]}
    if name == "round-list":
        mine = {own["draft"].pk, own["published"].pk} if role in ROUND_READERS else set()
        theirs = {other["draft"].pk, other["published"].pk}
    else:
        mine = {own["applied"].pk, own["reviewed"].pk}
        theirs = {other["applied"].pk, other["reviewed"].pk}
        if role == Role.REVIEWER:
            # Before the re-review an application is not the departments' to read.
            mine.remove(own["applied"].pk)
            theirs.add(own["applied"].pk)
    assert (ids & mine, ids & theirs) == (mine, set())


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(DETAIL_URLS))
def test_detail_own_area_200_sibling_404(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    pick, roles = DETAIL_URLS[name]
    client = login(users[role])
    statuses = (
        client.get(_url(name, pick(own))).status_code,
        client.get(_url(name, pick(other))).status_code,
    )
    assert statuses == ((200, 404) if role in roles else (404, 404))
    if name in BEFORE_REREVIEW:
        before = client.get(_url(name, own["applied"].pk)).status_code
        assert before == (404 if role == Role.REVIEWER else 200)


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(OBJECT_WRITE_URLS))
def test_object_writes_own_area_allowed_sibling_404_or_403_by_role(
    name, role, users, login, own_and_other
):
    own, other = own_and_other(role)
    method, pick, body, roles = OBJECT_WRITE_URLS[name]
    client = login(users[role])
    send = getattr(client, method)
    statuses = tuple(
        send(_url(name, pick(objs)), body(role), content_type="application/json").status_code
        for objs in (own, other)
    )
    assert statuses == ((200, 404) if role in roles else (403, 403)), name
    if role not in roles:
        assert Application.objects.get(pk=own["applied"].pk).state == S.APPLIED
        assert Round.objects.get(pk=own["draft"].pk).status == RoundStatus.DRAFT


@pytest.mark.parametrize("role", list(Role))
def test_bulk_transition_own_area_200_sibling_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    move = MOVES.get(role, {"to": S.INITIAL_PASSED})
    statuses = tuple(
        client.post(
            _url("application-bulk-transition"),
            {"ids": [objs["applied"].pk], **move},
            content_type="application/json",
        ).status_code
        for objs in (other, own)
    )
    assert statuses == ((404, 200) if role in MOVE_ROLES else (403, 403))
    assert Application.objects.get(pk=other["applied"].pk).state == S.APPLIED


@pytest.mark.parametrize("role", list(Role))
def test_opinions_own_area_200_sibling_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.post(
            _url("application-opinions"),
            {"applications": [objs["reviewed"].pk], "opinion": "agree"},
            content_type="application/json",
        ).status_code
        for objs in (other, own)
    )
    assert statuses == ((404, 200) if role in GIVE_OPINIONS else (403, 403))
    assert other["reviewed"].opinions.count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_round_create_own_township_201_other_400_or_403_by_role(
    role, area, users, login, own_and_other
):
    own, other = own_and_other(role)
    client = login(users[role])
    today = timezone.localdate()

    def payload(objs):
        data = {
            "title": "新一轮",
            "who_may_apply": "农村大龄人员",
            "opens_on": str(today),
            "closes_on": str(today + dt.timedelta(days=7)),
            "apply_at": "便民服务中心",
            "posts": [{"post": objs["post"].pk, "places": 1}],
        }
        if role == Role.COUNTY:
            data["township"] = objs["township"].code
        return data

    before = Round.objects.count()
    statuses = tuple(
        client.post(_url("round-list"), payload(objs), content_type="application/json")
        for objs in (own, other)
    )
    if role in MANAGE_ROUNDS:
        assert [s.status_code for s in statuses] == [201, 400]
        assert statuses[1].json()["detail"]
        assert Round.objects.count() == before + 1
    else:
        assert [s.status_code for s in statuses] == [403, 403]
        assert Round.objects.count() == before


@pytest.mark.parametrize("role", list(Role))
def test_application_create_own_area_201_other_400_or_403_by_role(
    role, users, login, own_and_other
):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.post(
            _url("application-list"),
            {"round": own["published"].pk, "post": own["post"].pk, "person": objs["person"].pk},
            content_type="application/json",
        )
        for objs in (own, other)
    )
    if role in ENTER_APPLICATIONS:
        assert [s.status_code for s in statuses] == [201, 400], statuses[0].json()
        assert "person" in statuses[1].json()
    else:
        assert [s.status_code for s in statuses] == [403, 403]
    assert not Application.objects.filter(person=other["person"]).exists()
