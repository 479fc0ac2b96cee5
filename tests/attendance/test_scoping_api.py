"""Scoping proof of attendance's API (tests/gongyi/test_scoping.py collects ``TESTED_URLS``): for
every role, each route on an object of its own area answers (or is 403 for a role that may not
use it, whichever object is asked), and the same route on a sibling area's object is a 404; a
list shows the own area's rows only. A department reviewer has no business with attendance: 403
everywhere (``roles.VIEW_ATTENDANCE``). Corrections take the row in the body: one of another
area is a 400 on ``row`` ("does not exist"), never a confirmation that it exists."""

import datetime as dt

import pytest
from django.urls import reverse

from gongyi.enums import Role
from gongyi.models import Region
from subsidies.attendance.enums import SheetState
from subsidies.attendance.models import AbsenceKind, AttendanceAdjustment, AttendanceMonth
from subsidies.attendance.models import AttendanceSheet as Sheet
from subsidies.attendance.planning import month_prepare
from subsidies.attendance.roles import CLOSE_MONTHS, RECORD_ATTENDANCE, VIEW_ATTENDANCE
from tests.attendance.conftest import AFTER, NOV
from tests.factories import PlacementFactory, PostFactory
from tests.factories.attendance import (
    AbsenceKindFactory,
    AssessmentFactory,
    WorkArrangementFactory,
)
from tests.gongyi.test_scoping import all_url_names, own_and_sibling

pytestmark = pytest.mark.django_db

OCT = dt.date(2026, 10, 1)

TESTED_URLS = {
    "api:attendance-sheet-list",
    "api:attendance-sheet-detail",
    "api:attendance-sheet-rows",
    "api:attendance-sheet-cells",
    "api:attendance-sheet-all-present",
    "api:attendance-sheet-transition",
    "api:attendance-adjustment-list",
    "api:attendance-absence-kind-list",
    "api:attendance-absence-kind-detail",
    "api:attendance-work-arrangement-list",
    "api:attendance-work-arrangement-detail",
}


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def test_every_route_of_the_api_is_here():
    names = {n for n in all_url_names() if n.startswith("api:attendance-")}
    # Leave's and the assessment's routes are proved in test_scoping_api_leave.py and
    # test_scoping_api_assessment.py.
    others = ("api:attendance-leave-", "api:attendance-assessment")
    assert {n for n in names if not n.startswith(others)} == TESTED_URLS


def _village(region: Region) -> Region:
    if len(region.code) == 12:
        return region
    return Region.objects.filter(code__startswith=region.code, level="village").order_by("code")[0]


def objects_in(region: Region) -> dict:
    """In a village of ``region``: a post with its work arrangement and one person on it, the
    open November sheet and the closed October sheet with a correction, and the county's own
    kind of absence."""
    village = _village(region)
    post = PostFactory(village=village)
    PlacementFactory(post=post, start_date=dt.date(2026, 1, 1))
    for month in (OCT, NOV):
        month_prepare(month=month, region_code=village.code)
    sheets = {s.month: s for s in Sheet.objects.filter(region_code=village.code)}
    Sheet.objects.filter(pk=sheets[OCT].pk).update(
        state=SheetState.CLOSED, closed_at="2026-11-02T02:00Z"
    )
    closed_row = AttendanceMonth.objects.get(sheet=sheets[OCT])
    county = Region.objects.get(code=village.code[:6])
    return {
        "open": sheets[NOV],
        "closed": sheets[OCT],
        "row": AttendanceMonth.objects.get(sheet=sheets[NOV]),
        "closed_row": closed_row,
        "adjustment": AttendanceAdjustment.objects.create(
            row=closed_row,
            region_code=closed_row.region_code,
            day=dt.date(2026, 10, 13),
            mark_after=0,
            reason="补录",
            created_by=post.created_by,
        ),
        "arrangement": WorkArrangementFactory(post=post),
        "kind": AbsenceKind.objects.filter(county=county).first()
        or AbsenceKindFactory(county=county, name=f"育儿假{county.code}"),
    }


@pytest.fixture
def own_and_other(area, users):
    def build(role):
        own, sibling = own_and_sibling(area, role)
        return objects_in(own), objects_in(sibling)

    return build


def _url(name, pk=None):
    return reverse(f"api:attendance-{name}", args=[pk] if pk is not None else [])


def _ids(response) -> set[int]:
    return {row["id"] for row in response.json()["results"]}


#: list → the objects of an area it shows.
LISTS = {
    "sheet-list": lambda o: {o["open"].pk, o["closed"].pk},
    "adjustment-list": lambda o: {o["adjustment"].pk},
    "work-arrangement-list": lambda o: {o["arrangement"].pk},
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(LISTS))
def test_lists_show_the_own_area_only(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    response = login(users[role]).get(_url(name))
    if role not in VIEW_ATTENDANCE:
        assert response.status_code == 403
        return
    ids = _ids(response)
    assert (ids & LISTS[name](own), ids & LISTS[name](other)) == (LISTS[name](own), set())


#: routes read by GET on one object → the object of an area.
DETAILS = {
    "sheet-detail": lambda o: o["open"].pk,
    "sheet-rows": lambda o: o["closed"].pk,
    "work-arrangement-detail": lambda o: o["arrangement"].pk,
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(DETAILS))
def test_detail_own_area_200_sibling_404(name, role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(client.get(_url(name, DETAILS[name](o))).status_code for o in (own, other))
    assert statuses == ((200, 404) if role in VIEW_ATTENDANCE else (403, 403))


@pytest.mark.parametrize("role", list(Role))
def test_absence_kinds_are_the_shared_and_the_own_countys(role, area, users, login):
    own, other = objects_in(area.county), objects_in(area.other_county)
    client = login(users[role])
    statuses = tuple(
        client.get(_url("absence-kind-detail", o["kind"].pk)).status_code for o in (own, other)
    )
    listed = client.get(_url("absence-kind-list"))
    if role not in VIEW_ATTENDANCE:
        assert (statuses, listed.status_code) == ((403, 403), 403)
        return
    shared = set(AbsenceKind.objects.filter(county=None).values_list("pk", flat=True))
    assert statuses == (200, 404)
    assert _ids(listed) == shared | {own["kind"].pk}


def _cells(o):
    return {"cells": [{"row": o["row"].pk, "day": 2, "mark": "√"}]}


#: routes that write one sheet → (the body for an area's objects, the roles that may).
SHEET_WRITES = {
    "sheet-cells": (_cells, RECORD_ATTENDANCE),
    "sheet-all-present": (lambda o: {}, RECORD_ATTENDANCE),
    "sheet-transition": (lambda o: {"to": "submitted"}, RECORD_ATTENDANCE | CLOSE_MONTHS),
}


@pytest.mark.parametrize("role", list(Role))
@pytest.mark.parametrize("name", list(SHEET_WRITES))
def test_sheet_writes_own_area_200_sibling_404_or_403_by_role(
    name, role, users, login, own_and_other
):
    own, other = own_and_other(role)
    body, roles = SHEET_WRITES[name]
    if name == "sheet-transition":  # a month with every working day marked can be submitted
        for o in (own, other):
            AttendanceMonth.objects.filter(pk=o["row"].pk).update(
                marks=[0 if p > 0 else None for p in o["row"].planned]
            )
            AssessmentFactory(row=o["row"])  # and scored
    client = login(users[role])
    statuses = tuple(
        client.post(_url(name, o["open"].pk), body(o), content_type="application/json").status_code
        for o in (own, other)
    )
    assert statuses == ((200, 404) if role in roles else (403, 403)), name
    assert Sheet.objects.get(pk=other["open"].pk).state == SheetState.OPEN
    if name != "sheet-transition":
        assert AttendanceMonth.objects.get(pk=other["row"].pk).marks[1] is None


@pytest.mark.parametrize("role", list(Role))
def test_correction_own_area_201_other_400_or_403_by_role(role, users, login, own_and_other):
    own, other = own_and_other(role)
    client = login(users[role])
    statuses = tuple(
        client.post(
            _url("adjustment-list"),
            {"row": o["closed_row"].pk, "day": "2026-10-12", "mark": "s", "reason": "核实"},
            content_type="application/json",
        )
        for o in (own, other)
    )
    if role in CLOSE_MONTHS:
        assert [s.status_code for s in statuses] == [201, 400], statuses[0].json()
        assert "row" in statuses[1].json()
    else:
        assert [s.status_code for s in statuses] == [403, 403]
    assert not AttendanceAdjustment.objects.filter(row=other["closed_row"], reason="核实").exists()
