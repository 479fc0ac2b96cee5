"""Scoping proof of the assessment API (tests/gongyi/test_scoping.py collects ``TESTED_URLS``): for
every role, a month's scores of its own area answer and a sibling area's are a 404 (or 403 for a
role that may not, whichever month is asked); the points sheet is the shared items and the own
county's. Saving scores is refused to the roles that do not keep or close months, and a sibling
area's month is untouched. A department reviewer has no business with attendance: 403."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.attendance.models import Assessment, AssessmentItem
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE, VIEW_ATTENDANCE
from tests.attendance.conftest import AFTER
from tests.attendance.test_scoping_api import objects_in
from tests.factories import AssessmentItemFactory
from tests.gongyi.test_scoping import own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "api:attendance-assessment-item-list",
    "api:attendance-assessment-item-detail",
    "api:attendance-assessment-list",
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def _scores(o) -> str:
    return reverse("api:attendance-assessment-list", args=[o["open"].pk])


@pytest.fixture
def own_and_other(area, users):
    def build(role):
        own, sibling = own_and_sibling(area, role)
        return objects_in(own), objects_in(sibling)

    return build


@pytest.mark.parametrize("role", list(Role))
def test_a_months_scores_own_area_200_sibling_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    responses = [client.get(_scores(o)) for o in (own, other)]
    if role not in VIEW_ATTENDANCE:
        assert [r.status_code for r in responses] == [403, 403]
        return
    assert [r.status_code for r in responses] == [200, 404]
    assert [line["row"] for line in responses[0].json()["results"]] == [own["row"].pk]


@pytest.mark.parametrize("role", list(Role))
def test_saving_scores_own_area_200_sibling_404_or_403_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.post(
            _scores(o), {"rows": [{"row": o["row"].pk}]}, content_type="application/json"
        ).status_code
        for o in (own, other)
    )
    may = RECORD_ATTENDANCE | CLOSE_MONTHS
    assert statuses == ((200, 404) if role in may else (403, 403))
    assert not Assessment.objects.filter(row=other["row"]).exists()
    assert Assessment.objects.filter(row=own["row"]).exists() == (role in may)


@pytest.mark.parametrize("role", list(Role))
def test_the_points_sheet_is_the_shared_and_the_own_countys(role, area, users, login):
    own = AssessmentItemFactory(county=area.county, name="卫生不达标")
    other = AssessmentItemFactory(county=area.other_county, name="卫生不达标")
    client = login(users[role])
    detail = "api:attendance-assessment-item-detail"
    statuses = tuple(client.get(reverse(detail, args=[i.pk])).status_code for i in (own, other))
    listed = client.get(reverse("api:attendance-assessment-item-list"), {"page_size": 100})
    if role not in VIEW_ATTENDANCE:
        assert (statuses, listed.status_code) == ((403, 403), 403)
        return
    shared = set(AssessmentItem.objects.filter(county=None).values_list("pk", flat=True))
    assert statuses == (200, 404)
    assert {row["id"] for row in listed.json()["results"]} == shared | {own.pk}
