"""The monthly assessment's page for every role, in its own area and in a sibling's (docs/security.md:
outside the area a 404, a role without the page a 403)."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.attendance.models import Assessment, AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.roles import VIEW_ATTENDANCE
from tests.attendance.conftest import NOV
from tests.factories import PlacementFactory, PostFactory

TESTED_URLS = {"attendance-assessment"}


@pytest.fixture
def sheets(area):
    """An open month in 甲社区 (the village user's) and one in 丙村 (another township's)."""
    made = []
    for village in (area.village, area.far_village):
        PlacementFactory(post=PostFactory(village=village))
        month_prepare(month=NOV, region_code=village.code)
        made.append(AttendanceSheet.objects.get(region_code=village.code))
    return made


@pytest.mark.parametrize("role", list(Role))
def test_assessment_page_by_role_and_area(role, users, login, sheets):
    own, far = sheets
    client = login(users[role])
    url = "attendance-assessment"
    statuses = (
        client.get(reverse(url, args=[own.pk])).status_code,
        client.get(reverse(url, args=[far.pk])).status_code,
    )
    if role not in VIEW_ATTENDANCE:
        assert statuses == (403, 403)
    else:
        assert statuses == (200, 404 if role in (Role.VILLAGE, Role.CLERK) else 200)


@pytest.mark.parametrize("role", list(Role))
def test_scoring_another_area_is_404_and_nothing_is_written(role, users, login, sheets):
    _own, far = sheets
    row = far.rows.get()
    status = (
        login(users[role])
        .post(reverse("attendance-assessment", args=[far.pk]), {f"r-{row.pk}": "1"})
        .status_code
    )
    if role not in VIEW_ATTENDANCE:
        assert status == 403
    elif role in (Role.VILLAGE, Role.CLERK):
        assert status == 404
    else:
        assert status == 403  # the county and the administrator read the scores, never give them
    assert not Assessment.objects.exists()
