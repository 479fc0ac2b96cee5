"""Every findings page and API route for every role, in its own area and in a sibling's
(tests/gongyi/test_scoping.py collects ``TESTED_URLS``): outside the area a 404, a role that may
not use it a 403 (``audits.datasets.roles``: VIEW_FINDINGS, DECIDE_FINDINGS)."""

import pytest
from django.urls import reverse

from audits.datasets.enums import FindingState
from audits.datasets.roles import DECIDE_FINDINGS, VIEW_FINDINGS
from audits.models import Finding
from gongyi.enums import Role
from gongyi.models import Region
from tests.factories import PlacementFactory
from tests.factories.audits import FindingFactory
from tests.gongyi.test_scoping import own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "finding-list",
    "finding-detail",
    "api:finding-list",
    "api:finding-detail",
    "api:finding-transition",
}


def test_every_findings_url_is_here():
    from audits.datasets import api_urls, urls
    from tests.gongyi.test_scoping import all_url_names

    pages = {p.name for p in urls.urlpatterns if p.name.startswith("finding-")}
    assert pages | {n for n in all_url_names() if n.startswith("api:finding-")} == TESTED_URLS
    assert ("findings", api_urls.finding_apis.FindingViewSet, "finding") in api_urls.api_routes


def _finding_in(region: Region) -> Finding:
    village = (
        region
        if len(region.code) == 12
        else Region.objects.filter(code__startswith=region.code, level="village")
        .order_by("code")
        .first()
    )
    return FindingFactory(placement=PlacementFactory(person__village=village))


@pytest.mark.parametrize("name", ["finding-detail", "api:finding-detail"])
@pytest.mark.parametrize("role", list(Role))
def test_one_finding_own_area_and_sibling(role, name, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = _finding_in(own), _finding_in(sibling)
    client = login(users[role])
    statuses = [client.get(reverse(name, args=[f.pk])).status_code for f in (mine, theirs)]
    assert statuses == ([200, 404] if role in VIEW_FINDINGS else [403, 403])


@pytest.mark.parametrize("role", list(Role))
def test_the_queue_and_the_api_list_show_the_own_area(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = _finding_in(own), _finding_in(sibling)
    client = login(users[role])
    page = client.get(reverse("finding-list"))
    api = client.get(reverse("api:finding-list"))
    if role not in VIEW_FINDINGS:
        assert (page.status_code, api.status_code) == (403, 403)
        return
    ids = {row["id"] for row in api.json()["results"]}
    assert mine.pk in ids and theirs.pk not in ids
    assert f'id="finding-{mine.pk}"' in page.content.decode()
    assert f'id="finding-{theirs.pk}"' not in page.content.decode()


@pytest.mark.parametrize("role", list(Role))
def test_moves_by_role_and_area(role, area, users, login):
    own, sibling = own_and_sibling(area, role)
    mine, theirs = _finding_in(own), _finding_in(sibling)
    client = login(users[role])
    move = {"to": FindingState.INVESTIGATING}
    api = [
        client.post(reverse("api:finding-transition", args=[f.pk]), move).status_code
        for f in (mine, theirs)
    ]
    page = client.post(reverse("finding-detail", args=[theirs.pk]), move).status_code
    if role in DECIDE_FINDINGS:
        assert (api, page) == ([200, 404], 404)
        mine.refresh_from_db()
        assert mine.state == FindingState.INVESTIGATING
    else:
        assert api[0] == 403 and page == 403
    theirs.refresh_from_db()
    assert theirs.state == FindingState.NEW


def test_the_queues_bulk_dismissal_and_the_home_panel(area, users, login):
    clerk = users[Role.CLERK]
    a, b = _finding_in(area.township), _finding_in(area.township)
    client = login(clerk)
    home = client.get("/").content.decode()
    assert reverse("finding-list") + "?state=new" in home
    response = client.post(
        reverse("finding-list"), {"finding": [a.pk, b.pk], "to": "dismissed", "note": "同名误报"}
    )
    assert response.status_code == 302
    assert set(Finding.objects.values_list("state", "note")) == {
        (FindingState.DISMISSED, "同名误报")
    }
    detail = client.get(reverse("finding-detail", args=[a.pk])).content.decode()
    assert "同名误报" in detail
