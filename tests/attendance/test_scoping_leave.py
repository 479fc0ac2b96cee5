"""Every leave URL for every role, in its own area and in another township's (docs/security.md:
outside the area a 404, a role without the page a 403)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from subsidies.attendance.enums import LeaveState
from subsidies.attendance.models import LeaveRequest
from subsidies.attendance.roles import RECORD_ATTENDANCE, VIEW_ATTENDANCE
from tests.factories import LeaveRequestFactory, PersonFactory, PlacementFactory, PostFactory

TESTED_URLS = {
    "attendance-leave-list",
    "attendance-leave-new",
    "attendance-leave-transition",
}


@pytest.fixture
def leaves(area):
    """A requested leave of 甲社区's 甲请假 (the village user's) and one of 丙村's 丙请假."""
    made = []
    for village, name in ((area.village, "甲请假"), (area.far_village, "丙请假")):
        placement = PlacementFactory(
            post=PostFactory(village=village), person=PersonFactory(village=village, name=name)
        )
        made.append(LeaveRequestFactory(placement=placement, working_days=1))
    return made


@pytest.mark.parametrize("role", list(Role))
def test_list_shows_only_the_own_area(role, users, login, leaves):
    response = login(users[role]).get(reverse("attendance-leave-list") + "?month=2026-11")
    if role not in VIEW_ATTENDANCE:
        assert response.status_code == 403
        return
    page = response.content.decode()
    assert "甲请假" in page
    assert ("丙请假" in page) == (role in (Role.COUNTY, Role.ADMIN))


@pytest.mark.parametrize("role", list(Role))
def test_new_form_offers_only_people_of_the_own_area(role, users, login, leaves):
    _own, far = leaves
    client = login(users[role])
    response = client.get(reverse("attendance-leave-new"))
    if role not in RECORD_ATTENDANCE:
        assert response.status_code == 403
        assert client.post(reverse("attendance-leave-new")).status_code == 403
        return
    page = response.content.decode()
    assert ("甲请假" in page, "丙请假" in page) == (True, False)
    response = client.post(
        reverse("attendance-leave-new"),
        {
            "placement": far.placement_id,
            "kind": far.kind_id,
            "starts_on": "2026-11-16",
            "ends_on": "2026-11-16",
        },
    )
    assert response.status_code == 400
    assert LeaveRequest.objects.count() == 2


@pytest.mark.parametrize("role", list(Role))
def test_actions_on_another_area_are_404(role, users, login, leaves):
    own, far = leaves
    client = login(users[role])
    statuses = [
        client.post(
            reverse("attendance-leave-transition", args=[leave.pk]), {"action": "cancel"}
        ).status_code
        for leave in (own, far)
    ]
    if role not in RECORD_ATTENDANCE:
        assert statuses == [403, 403]
    else:
        assert statuses == [302, 404]
    assert LeaveRequest.objects.get(pk=far.pk).state == LeaveState.REQUESTED
    assert client.get(reverse("attendance-leave-transition", args=[own.pk])).status_code in (
        403,
        405,
    )


def test_leave_of_another_county_is_not_listed(users, login, area):
    placement = PlacementFactory(post=PostFactory(village=area.far_village))
    LeaveRequest.objects.filter(pk=LeaveRequestFactory(placement=placement).pk).update(
        region_code="370406106200", starts_on=dt.date(2026, 11, 2)
    )
    page = login(users[Role.COUNTY]).get(reverse("attendance-leave-list") + "?month=2026-11")
    assert placement.person.name not in page.content.decode()
