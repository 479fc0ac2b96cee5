"""Every warnings page and API route for every role, in its own area and in a sibling's
(tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside the area a 404, a role that may
not use it a 403 (``audits.warnings.roles``: the department reviewer and the finance department
have no business with them)."""

import datetime as dt

import pytest
from django.urls import reverse

from audits.models import ExpiryWarning
from audits.warnings.roles import GIVE_NOTICES, VIEW_WARNINGS
from gongyi.enums import Role
from gongyi.models import Region
from tests.factories import ExpiryWarningFactory, PersonFactory, PlacementFactory, PostFactory
from tests.gongyi.test_scoping import all_url_names, own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "warning-list",
    "warning-notice",
    "api:warning-list",
    "api:warning-detail",
    "api:warning-notice-given",
}


def test_every_warnings_url_is_here():
    from audits.warnings import urls

    pages = {p.name for p in urls.urlpatterns}
    routes = {n for n in all_url_names() if n.startswith("api:warning-")}
    assert pages | routes == TESTED_URLS


def warning_in(region: Region) -> ExpiryWarning:
    village = (
        region
        if region.level == "village"
        else Region.objects.filter(code__startswith=region.code, level="village").order_by("code")[
            0
        ]
    )
    post = PostFactory(village=village, headcount=1)
    placement = PlacementFactory(post=post, person=PersonFactory(village=village))
    return ExpiryWarningFactory(placement=placement, due_on=dt.date(2026, 12, 31))


@pytest.fixture
def own_and_other(area):
    def build(role):
        own, other = own_and_sibling(area, role)
        return warning_in(own), warning_in(other)

    return build


@pytest.mark.parametrize("role", list(Role))
def test_list_shows_only_the_own_area(role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(reverse("warning-list"))
    if role not in VIEW_WARNINGS:
        assert response.status_code == 403
        return
    shown = {w.pk for w in response.context["page"]}
    assert (own.pk in shown, other.pk in shown) == (True, False)


@pytest.mark.parametrize("role", list(Role))
def test_notice_own_200_other_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.get(reverse("warning-notice", args=[w.pk])).status_code for w in (own, other)
    )
    assert statuses == ((200, 404) if role in GIVE_NOTICES else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_notice_given_by_role_and_area(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    for warning in (own, other):
        client.post(reverse("warning-list"), {"warning": warning.pk})
    given = {w.pk for w in ExpiryWarning.objects.filter(notified_on__isnull=False)}
    assert given == ({own.pk} if role in GIVE_NOTICES else set())


@pytest.mark.parametrize("role", list(Role))
def test_api_list_detail_and_notice(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    response = client.get(reverse("api:warning-list"))
    if role not in VIEW_WARNINGS:
        assert response.status_code == 403
        assert client.get(reverse("api:warning-detail", args=[own.pk])).status_code == 403
    else:
        ids = {row["id"] for row in response.json()["results"]}
        assert (own.pk in ids, other.pk in ids) == (True, False)
        detail = [client.get(reverse("api:warning-detail", args=[w.pk])) for w in (own, other)]
        assert [r.status_code for r in detail] == [200, 404]
        assert "*" in detail[0].json()["id_number"]
    notice = [
        client.post(reverse("api:warning-notice-given", args=[w.pk])).status_code
        for w in (own, other)
    ]
    assert notice == ([200, 404] if role in GIVE_NOTICES else [403, 403])
