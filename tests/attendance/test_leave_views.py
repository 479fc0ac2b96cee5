"""The leave pages (docs/policy.md §7): the month's list with the buttons each role may use, the
new request, the actions, and the links from the attendance pages."""

import datetime as dt

import pytest
from django.urls import reverse

from subsidies.attendance.enums import LeaveState
from subsidies.attendance.leave import leave_request
from subsidies.attendance.models import AbsenceKind, AttendanceMonth, LeaveRequest
from tests.attendance.conftest import AFTER
from tests.factories import PlacementFactory, PostFactory

LIST = reverse("attendance-leave-list")
NEW = reverse("attendance-leave-new")


@pytest.fixture(autouse=True)
def _today(monkeypatch):
    monkeypatch.setattr("django.utils.timezone.localdate", lambda *a, **k: AFTER)


def kind(name="事假"):
    return AbsenceKind.objects.get(county=None, name=name)


def ask(actor, row, first, last):
    return leave_request(
        actor=actor, placement_id=row.placement_id, kind_id=kind().pk, starts_on=first, ends_on=last
    )


def test_new_request_is_recorded_and_shown_in_its_month(login, month, village_user):
    _sheet, (a, _b, _h) = month
    client = login(village_user)
    assert client.get(NEW).status_code == 200
    response = client.post(
        NEW,
        {
            "placement": a.placement_id,
            "kind": kind().pk,
            "starts_on": "2026-11-09",
            "ends_on": "2026-11-10",
            "reason": "看病陪护",
        },
    )
    assert response.status_code == 302 and response["Location"] == f"{LIST}?month=2026-11"
    leave = LeaveRequest.objects.get()
    assert (leave.working_days, leave.created_by) == (2, village_user)
    page = client.get(response["Location"]).content.decode()
    assert "看病陪护" in page and "待审批" in page and "请假已登记：2 个工作日" in page


def test_overlapping_request_is_refused_on_the_form(login, month, village_user):
    _sheet, (a, _b, _h) = month
    ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    response = login(village_user).post(
        NEW,
        {
            "placement": a.placement_id,
            "kind": kind("病假").pk,
            "starts_on": "2026-11-10",
            "ends_on": "2026-11-12",
        },
    )
    assert response.status_code == 400
    assert "请假日期不得重叠" in response.content.decode()
    assert LeaveRequest.objects.count() == 1


def test_village_sees_the_buttons_its_setting_allows(login, month, village_user):
    _sheet, (a, b, _h) = month
    short = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    long = ask(village_user, b, dt.date(2026, 11, 9), dt.date(2026, 11, 13))
    page = login(village_user).get(f"{LIST}?month=2026-11").content.decode()
    approve = 'name="action" value="approve"'
    assert page.count(approve) == 1
    assert reverse("attendance-leave-transition", args=[short.pk]) in page
    assert "待乡镇审批" in page and long.placement.person.name in page


def test_list_takes_constant_queries(login, month, village_user, django_assert_max_num_queries):
    _sheet, (a, b, h) = month
    for row in (a, b, h):
        ask(village_user, row, dt.date(2026, 11, 9), dt.date(2026, 11, 10))
    client = login(village_user)
    with django_assert_max_num_queries(12):
        assert client.get(f"{LIST}?month=2026-11").status_code == 200


def test_approve_then_return_by_the_buttons(login, month, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 11))
    client = login(village_user)
    url = reverse("attendance-leave-transition", args=[leave.pk])
    response = client.post(url, {"action": "approve", "month": "2026-11"})
    assert response.status_code == 302 and response["Location"] == f"{LIST}?month=2026-11"
    assert AttendanceMonth.objects.get(pk=a.pk).marks[8:11] == [kind().pk] * 3
    client.post(url, {"action": "return", "returned_on": "2026-11-10"})
    assert AttendanceMonth.objects.get(pk=a.pk).marks[8:11] == [kind().pk, None, None]
    page = client.get(f"{LIST}?month=2026-11&state=approved").content.decode()
    assert "2026-11-10 销假返岗" in page


def test_refusal_without_a_reason_is_told(login, month, village_user):
    _sheet, (a, _b, _h) = month
    leave = ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    client = login(village_user)
    response = client.post(
        reverse("attendance-leave-transition", args=[leave.pk]), {"action": "reject"}, follow=True
    )
    assert "请填写驳回原因" in response.content.decode()
    assert LeaveRequest.objects.get(pk=leave.pk).state == LeaveState.REQUESTED


def test_list_filters_by_state(login, month, village_user):
    _sheet, (a, b, _h) = month
    ask(village_user, a, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    other = ask(village_user, b, dt.date(2026, 11, 9), dt.date(2026, 11, 9))
    LeaveRequest.objects.filter(pk=other.pk).update(state=LeaveState.CANCELLED)
    page = login(village_user).get(f"{LIST}?month=2026-11&state=cancelled").content.decode()
    assert (a.placement.person.name in page, b.placement.person.name in page) == (False, True)


def test_attendance_pages_link_to_the_leave(login, month, village_user):
    sheet, _rows = month
    client = login(village_user)
    for url in (reverse("attendance-sheet", args=[sheet.pk]), reverse("attendance-home")):
        assert LIST in client.get(url).content.decode()


def test_form_offers_people_on_a_post_lately(login, area, village_user):
    post = PostFactory(village=area.village)
    gone = PlacementFactory(
        post=post, end_date=dt.date(2026, 3, 31), start_date=dt.date(2025, 1, 1)
    )
    here = PlacementFactory(post=post)
    page = login(village_user).get(NEW).content.decode()
    assert (f'value="{here.pk}"' in page, f'value="{gone.pk}"' in page) == (True, False)
