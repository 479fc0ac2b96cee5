"""Every attendance URL for every role, in its own area and in a sibling's (docs/security.md:
outside the area a 404, a role without the page a 403)."""

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AttendanceSheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.roles import RECORD_ATTENDANCE, VIEW_ATTENDANCE
from tests.attendance.conftest import NOV
from tests.factories import PlacementFactory, PostFactory

TESTED_URLS = {
    "attendance-home",
    "attendance-sheet",
    "attendance-day",
    "attendance-notice",
    "attendance-notice-pdf",
    "attendance-arrangements",
}
SHEET_PAGES = {
    "attendance-sheet": VIEW_ATTENDANCE,
    "attendance-day": RECORD_ATTENDANCE,
    "attendance-notice": VIEW_ATTENDANCE,
}


@pytest.fixture
def sheets(area):
    """A closed month in 甲社区 (the village user's) and one in 丙村 (another township's)."""
    made = {}
    for village in (area.village, area.far_village):
        PlacementFactory(post=PostFactory(village=village))
        month_prepare(month=NOV, region_code=village.code)
        sheet = AttendanceSheet.objects.get(region_code=village.code)
        AttendanceSheet.objects.filter(pk=sheet.pk).update(
            state=SheetState.CLOSED, closed_at="2026-12-01T02:00Z"
        )
        made[village.code] = sheet
    return made[area.village.code], made[area.far_village.code]


@pytest.mark.parametrize("name", sorted(SHEET_PAGES))
@pytest.mark.parametrize("role", list(Role))
def test_sheet_pages_by_role_and_area(name, role, users, login, sheets):
    own, far = sheets
    client = login(users[role])
    own_status = client.get(reverse(name, args=[own.pk])).status_code
    far_status = client.get(reverse(name, args=[far.pk])).status_code
    if role not in SHEET_PAGES[name]:
        assert (own_status, far_status) == (403, 403)
    else:
        # The village's and the township's own sheet opens; the county and the administrator see
        # every sheet of the county; another township's sheet is a 404 to the township's users.
        assert own_status == 200
        assert far_status == (404 if role in (Role.VILLAGE, Role.CLERK) else 200)


@pytest.mark.parametrize("role", list(Role))
def test_posts_to_another_area_are_404(role, users, login, sheets):
    _own, far = sheets
    client = login(users[role])
    status = client.post(reverse("attendance-sheet", args=[far.pk]), {"action": "fill"}).status_code
    if role not in VIEW_ATTENDANCE:
        assert status == 403
    elif role in (Role.VILLAGE, Role.CLERK):
        assert status == 404
    else:
        assert status == 403  # the county and the administrator read it but do not record


def test_notice_pdf_of_another_area_is_404(users, login, sheets):
    _own, far = sheets
    client = login(users[Role.VILLAGE])
    assert client.get(reverse("attendance-notice-pdf", args=[far.pk])).status_code == 404


@pytest.mark.parametrize("role", list(Role))
def test_home_shows_only_the_own_area(role, users, login, sheets):
    response = login(users[role]).get(reverse("attendance-home") + "?month=2026-11")
    if role not in VIEW_ATTENDANCE:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "甲社区" in page
    assert ("丙村" in page) == (role in (Role.COUNTY, Role.ADMIN))


@pytest.mark.parametrize("role", list(Role))
def test_arrangements_list_only_the_own_area(role, users, login, area):
    PostFactory(village=area.village, title="本村岗位")
    PostFactory(village=area.far_village, title="外乡岗位")
    response = login(users[role]).get(reverse("attendance-arrangements"))
    if role not in VIEW_ATTENDANCE:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "本村岗位" in page
    assert ("外乡岗位" in page) == (role in (Role.COUNTY, Role.ADMIN))


def test_arrangement_of_a_post_outside_the_area_is_refused(users, login, area):
    from subsidies.attendance.models import WorkArrangement

    far = PostFactory(village=area.far_village)
    login(users[Role.CLERK]).post(
        reverse("attendance-arrangements"),
        {"post": far.pk, "effective_from": "2026-11-01", "weekdays": ["1"], "hours": "8"},
    )
    assert not WorkArrangement.objects.exists()
