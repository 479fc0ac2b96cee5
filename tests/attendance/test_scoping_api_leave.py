"""Scoping proof of leave's API (tests/gongyi/test_scoping.py collects ``TESTED_URLS``): for every
role, each route on a leave of its own area answers (or is 403 for a role that may not use it,
whichever leave is asked), and the same route on a sibling area's leave is a 404; the list shows
the own area's leave only. A request for a person of another area is a 400 (the service finds
no such placement in the caller's area), never a leave made. A department reviewer has no
business with attendance: 403 everywhere (``roles.VIEW_ATTENDANCE``)."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Region
from subsidies.attendance.enums import LeaveState
from subsidies.attendance.models import AbsenceKind, LeaveRequest
from subsidies.attendance.roles import RECORD_ATTENDANCE, VIEW_ATTENDANCE
from tests.attendance.conftest import AFTER
from tests.factories import LeaveRequestFactory, PersonFactory, PlacementFactory, PostFactory
from tests.gongyi.test_scoping import all_url_names, own_and_sibling

pytestmark = pytest.mark.django_db

TESTED_URLS = {
    "api:attendance-leave-list",
    "api:attendance-leave-detail",
    "api:attendance-leave-transition",
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def test_every_leave_route_of_the_api_is_here():
    names = {n for n in all_url_names() if n.startswith("api:attendance-leave-")}
    assert names == TESTED_URLS


def leave_in(region: Region) -> LeaveRequest:
    """A requested leave of a person on a post in a village of ``region``."""
    village = (
        region
        if len(region.code) == 12
        else Region.objects.filter(code__startswith=region.code, level="village").order_by("code")[
            0
        ]
    )
    placement = PlacementFactory(
        post=PostFactory(village=village),
        person=PersonFactory(village=village),
        start_date=dt.date(2026, 1, 1),
    )
    return LeaveRequestFactory(placement=placement, working_days=1, ends_on=dt.date(2026, 11, 2))


@pytest.fixture
def own_and_other(area, users):
    def build(role):
        return tuple(leave_in(region) for region in own_and_sibling(area, role))

    return build


def _url(name, pk=None):
    return reverse(f"api:attendance-leave-{name}", args=[pk] if pk is not None else [])


@pytest.mark.parametrize("role", list(Role))
def test_list_shows_the_own_area_only(role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(_url("list"))
    if role not in VIEW_ATTENDANCE:
        assert response.status_code == 403
        return
    ids = {row["id"] for row in response.json()["results"]}
    assert (own.pk in ids, other.pk in ids) == (True, False)


@pytest.mark.parametrize("role", list(Role))
def test_detail_own_area_200_sibling_404(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(client.get(_url("detail", o.pk)).status_code for o in (own, other))
    assert statuses == ((200, 404) if role in VIEW_ATTENDANCE else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_transition_own_area_200_sibling_404_or_403_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.post(
            _url("transition", o.pk), {"action": "cancel"}, content_type="application/json"
        ).status_code
        for o in (own, other)
    )
    assert statuses == ((200, 404) if role in RECORD_ATTENDANCE else (403, 403))
    assert LeaveRequest.objects.get(pk=other.pk).state == LeaveState.REQUESTED


@pytest.mark.parametrize("role", list(Role))
def test_request_own_area_201_other_400_or_403_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    kind = AbsenceKind.objects.get(county=None, name="事假").pk
    statuses = [
        client.post(
            _url("list"),
            {
                "placement": o.placement_id,
                "kind": kind,
                "starts_on": "2026-11-16",
                "ends_on": "2026-11-16",
            },
            content_type="application/json",
        ).status_code
        for o in (own, other)
    ]
    assert statuses == ([201, 400] if role in RECORD_ATTENDANCE else [403, 403])
    assert not LeaveRequest.objects.filter(
        placement_id=other.placement_id, starts_on=dt.date(2026, 11, 16)
    ).exists()
