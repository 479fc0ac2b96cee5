"""Every URL of the queues for every role, against the user's own area and a sibling area
(docs/security.md): a role that may not use a page gets 403; an object or a list entry outside the
user's area is a 404 or is not shown. The village user sees his village only, the clerk his
township, the county, its reviewers and the administrator their county."""

import pytest
from django.core.files.base import ContentFile
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Region, User
from people.onboarding.enums import ApplicationState as S
from people.onboarding.models import Application, DemocraticReview
from people.onboarding.queue_views import application_url
from tests.factories import UserFactory
from tests.onboarding.queue_data import make_queue_rows

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "application-queue",
    "application-queue-action",
    "opinion-queue",
    "opinion-queue-action",
    "village-onboarding",
    "democratic-review-create",
    "democratic-review-detail",
    "democratic-review-minutes",
    "objection-create",
}

QUEUE_ROLES = {Role.COUNTY, Role.ADMIN}
OPINION_ROLES = {Role.REVIEWER, Role.COUNTY, Role.ADMIN}
VILLAGE_ROLES = {Role.VILLAGE, Role.CLERK}
ALL = set(Role)


def own_and_sibling(area, role) -> tuple[Region, Region]:
    return {
        Role.COUNTY: (area.county, area.other_county),
        Role.REVIEWER: (area.county, area.other_county),
        Role.FINANCE: (area.county, area.other_county),
        Role.ADMIN: (area.county, area.other_county),
        Role.CLERK: (area.township, area.other_township),
        Role.VILLAGE: (area.village, area.other_village),
    }[role]


def village_of(region) -> Region:
    if len(region.code) == 12:
        return region
    return Region.objects.filter(level="village", code__startswith=region.code).order_by("code")[0]


def application_in(region, state) -> Application:
    """An application of a person of a village in ``region``, in ``state``."""
    county = Region.objects.get(code=region.code[:6])
    actor = User.objects.filter(role=Role.COUNTY, region=county).order_by("pk").first()
    actor = actor or UserFactory(username=f"county_{county.code}", role=Role.COUNTY, region=county)
    rows = make_queue_rows(
        1, county=county, actor=actor, mix={state: 1}, villages=[village_of(region)]
    )
    return Application.objects.get(pk=rows.application_ids[0])


def review_in(region) -> DemocraticReview:
    app = application_in(region, S.REVIEWED)
    review = app.democratic_review
    review.minutes_file.save("minutes.pdf", ContentFile(b"%PDF-1.4 minutes"))
    return review


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize(
    ("name", "state", "roles"),
    [
        ("application-queue", S.REVIEWED, QUEUE_ROLES),
        ("application-queue", S.PUBLICITY, QUEUE_ROLES),
        ("opinion-queue", S.REVIEWED, OPINION_ROLES),
        ("village-onboarding", S.INITIAL_PASSED, VILLAGE_ROLES),
        ("village-onboarding", S.PUBLICITY, VILLAGE_ROLES),
    ],
)
def test_queue_shows_own_area_only(name, state, roles, role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = application_in(own, state), application_in(sibling, state)
    response = login(users[role]).get(reverse(name))
    if role not in roles:
        assert response.status_code == 403
        return
    body = response.content.decode()
    assert response.status_code == 200
    assert (application_url(mine.pk) in body, application_url(theirs.pk) in body) == (True, False)


@pytest.mark.parametrize("role", list(Role))
def test_village_page_of_a_sibling_village_is_404(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    client = login(users[role])
    own_status = client.get(reverse("village-onboarding"), {"village": village_of(own).code})
    other = client.get(reverse("village-onboarding"), {"village": village_of(sibling).code})
    expected = (200, 404) if role in VILLAGE_ROLES else (403, 403)
    assert (own_status.status_code, other.status_code) == expected


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", ["democratic-review-detail", "democratic-review-minutes"])
def test_democratic_review_own_area_allowed_sibling_404(name, role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    client = login(users[role])
    own_status = client.get(reverse(name, kwargs={"pk": review_in(own).pk})).status_code
    other_status = client.get(reverse(name, kwargs={"pk": review_in(sibling).pk})).status_code
    assert (own_status, other_status) == (200, 404)


@pytest.mark.parametrize("role", list(Role))
def test_bulk_action_on_own_area_runs_on_another_area_404(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = application_in(own, S.REVIEWED), application_in(sibling, S.REVIEWED)
    client = login(users[role])
    url = reverse("application-queue-action")
    form = {"action": "reject", "comment": "材料与实际不符"}
    own_status = client.post(url, {**form, "applications": [mine.pk]}).status_code
    other_status = client.post(url, {**form, "applications": [theirs.pk]}).status_code
    mixed = client.post(url, {**form, "applications": [mine.pk, theirs.pk]}).status_code
    if role == Role.COUNTY:
        assert (own_status, other_status, mixed) == (302, 404, 404)
        mine.refresh_from_db()
        assert mine.state == S.REJECTED
    else:
        assert (own_status, other_status, mixed) == (403, 403, 403)
    theirs.refresh_from_db()
    assert theirs.state == S.REVIEWED


@pytest.mark.parametrize("role", list(Role))
def test_opinion_action_on_own_area_runs_on_another_area_404(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = application_in(own, S.REVIEWED), application_in(sibling, S.REVIEWED)
    client = login(users[role])
    url = reverse("opinion-queue-action")
    own_status = client.post(url, {"opinion": "agree", "applications": [mine.pk]}).status_code
    other_status = client.post(url, {"opinion": "agree", "applications": [theirs.pk]}).status_code
    if role == Role.REVIEWER:
        assert (own_status, other_status) == (302, 404)
        assert mine.opinions.filter(reviewer=users[Role.REVIEWER]).count() == 1
    else:
        assert (own_status, other_status) == (403, 403)
    assert theirs.opinions.filter(reviewer=users[Role.REVIEWER]).count() == 0


@pytest.mark.parametrize("role", list(Role))
def test_democratic_review_create_for_own_village_only(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = application_in(own, S.INITIAL_PASSED), application_in(sibling, S.INITIAL_PASSED)
    client = login(users[role])
    url = reverse("democratic-review-create")

    def post(app):
        return client.post(
            url,
            {
                "village": app.region_code,
                "held_on": app.applied_on.isoformat(),
                "attendance": 30,
                "minutes": "村民代表会议",
                f"result_{app.pk}": "pass",
                f"votes_{app.pk}": 25,
            },
        ).status_code

    own_status, other_status = post(mine), post(theirs)
    if role in VILLAGE_ROLES:
        assert (own_status, other_status) == (302, 404)
        mine.refresh_from_db()
        assert mine.state == S.REVIEWED
    else:
        assert (own_status, other_status) == (403, 403)
    theirs.refresh_from_db()
    assert theirs.state == S.INITIAL_PASSED


@pytest.mark.parametrize("role", list(Role))
def test_objection_create_for_own_area_only(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = application_in(own, S.PUBLICITY), application_in(sibling, S.PUBLICITY)
    client = login(users[role])

    def post(app):
        raised_on = app.publicity.starts_on.isoformat()
        return client.post(
            reverse("objection-create", kwargs={"pk": app.pk}),
            {f"o{app.pk}-raised_on": raised_on, f"o{app.pk}-content": "反映其有经营收入"},
        ).status_code

    own_status, other_status = post(mine), post(theirs)
    if role in VILLAGE_ROLES:
        assert (own_status, other_status) == (302, 404)
        assert mine.objections.count() == 1
    else:
        assert (own_status, other_status) == (403, 403)
    assert theirs.objections.count() == 0
